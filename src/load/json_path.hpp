#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace benchctl {

// A JSON path as a capture writes it: `$` (the whole document), then members and elements:
// `$.id`, `$.worker.id`, `$.items[0].id`, `$['odd key']`. Only this subset of JSONPath (no
// wildcards, filters or slices): a capture takes one value.
struct JsonPath {
    struct Segment {
        std::string key;          // a member name, when index is negative
        std::int64_t index = -1;  // an array element
    };
    std::vector<Segment> segments;
    std::string text;
};

// Parses `text`. Returns nullopt and sets `error` to what is wrong when it is not such a path.
std::optional<JsonPath> parse_json_path(std::string_view text, std::string& error);

// Finds the values at a few JSON paths in a JSON document that arrives in pieces (the body of a
// response, as reads deliver it), without building the document: one pass over the bytes with a
// small state machine, a bit per level of nesting, and the bytes of the values being taken.
// Every path is matched at once; the first value at a path is taken. A string value is taken
// decoded (escapes resolved, \uXXXX as UTF-8); any other value (number, true, false, null,
// object, array) as its JSON text. Allocates only when a value is longer than any taken before.
// Not a validator: malformed JSON ends the extraction (found() is then false for what was not
// found before).
class JsonPathExtractor {
  public:
    // Nesting deeper than this stops the extraction (as malformed).
    static constexpr std::size_t k_max_depth = 512;
    // A value longer than this is not taken.
    static constexpr std::size_t k_max_value_bytes = 64 * 1024;

    // Starts over for a new document, looking for `paths` (which must outlive the extraction).
    void reset(const std::vector<const JsonPath*>& paths);

    // Feeds the next bytes of the document.
    void feed(const char* data, std::size_t length);

    // The document ended (a number at the very end is complete only now).
    void finish();

    bool found(std::size_t path) const { return m_targets[path].done; }
    // The value taken at `path`; valid when found().
    const std::string& value(std::size_t path) const { return m_targets[path].value; }
    // Whether the value is JSON text (anything but a string).
    bool is_json(std::size_t path) const { return m_targets[path].json; }

  private:
    enum class State : unsigned char {
        value,        // a value may start (whitespace skipped)
        after_value,  // ',' or the end of the container
        key,          // a member name (or '}' right after '{')
        colon,
        string,  // inside a string (a key or a value)
        literal  // inside a number, true, false or null
    };
    enum class Taking : unsigned char { no, string, scalar, container };
    struct Target {
        const JsonPath* path = nullptr;
        std::size_t matched = 0;  // levels of the current position that equal the path's start
        bool key_equal = false;   // the key being read still equals the path's segment
        std::size_t key_length = 0;
        Taking taking = Taking::no;
        std::size_t taking_depth = 0;
        bool done = false;
        bool given_up = false;  // the value was too long
        bool json = false;
        std::string value;
    };

    void step(char c);
    void begin_value(char c);
    void end_scalar();
    void open_container(bool object);
    void close_container(bool object);
    void begin_member_key();
    void end_member_key();
    void begin_element();
    void string_byte(char c);
    void string_unit(std::uint32_t unit);
    void string_char(std::uint32_t code_point);
    void string_char_byte(char c);
    void key_byte(unsigned char c);
    void take_raw(char c);
    void stop() { m_stopped = true; }

    std::vector<Target> m_targets;
    State m_state = State::value;
    bool m_stopped = false;
    bool m_in_key = false;
    std::size_t m_depth = 0;
    std::vector<bool> m_is_object;      // per open container
    std::vector<std::int64_t> m_index;  // per open container: the element being read
    unsigned m_escape = 0;              // 0, 1 after '\\', 2..5 reading \uXXXX digits
    std::uint32_t m_unit = 0;           // the \uXXXX code unit being read
    std::uint32_t m_high_surrogate = 0;
};

}  // namespace benchctl
