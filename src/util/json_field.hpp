#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace benchctl {

// A value inside a JSON document read from a file, with its path from the document's root
// ("settings.headers[0]"). Every read checks the value's type, and every failure throws a
// UserError whose what names the path ("field settings.threads is missing", "field
// errors.read must be a non-negative integer"), whose where is the file and whose hint is the
// reader's advice. The one way benchctl reads its documents (load, cell, run manifest, histogram).
//
// Holds a pointer into the document: the document must outlive every JsonField made from it.
class JsonField {
  public:
    // The root of `document`, read from `where` (a file name; may be empty). `path` names the
    // root when the document is itself a field of another ("load"); empty for a whole file.
    JsonField(const nlohmann::json& document, std::string where, std::string hint,
              std::string path = "");

    const nlohmann::json& value() const { return *m_value; }
    const std::string& path() const { return m_path; }
    bool is_null() const;
    // Whether this is an object with a member `key` (which may be null).
    bool has(const char* key) const;

    // The member `key`. Throws when this is not an object or has no such member.
    JsonField operator[](const char* key) const;
    // The member `key`, or nullopt when it is absent or null. Throws when this is not an object.
    std::optional<JsonField> find(const char* key) const;
    // The elements of an array, each with its path "name[i]". Throws when this is not an array.
    std::vector<JsonField> elements() const;
    // The members of an object in key order, each with its path "name.key". Throws when this is
    // not an object.
    std::vector<std::pair<std::string, JsonField>> members() const;
    // The number of elements of an array. Throws when this is not an array.
    std::size_t size() const;

    // The value as a type; each throws when the value is not of it.
    std::uint64_t as_unsigned() const;  // a non-negative integer
    template <typename Unsigned>
    Unsigned as_unsigned() const {
        return static_cast<Unsigned>(as_unsigned_up_to(std::numeric_limits<Unsigned>::max()));
    }
    // Element `index` of an array as a non-negative integer, without a JsonField per element (for
    // long arrays such as a histogram's counts).
    std::uint64_t unsigned_at(std::size_t index) const;
    double as_double() const;  // any number
    bool as_bool() const;
    std::string as_string() const;
    std::vector<std::string> as_string_list() const;
    std::map<std::string, std::string> as_string_map() const;
    std::optional<double> as_optional_double() const;  // a number or null
    std::optional<std::uint64_t> as_optional_unsigned() const;
    // The index in `names` of this string ("done" in {"pending", "done"} is 1), for enums.
    std::size_t as_choice(std::initializer_list<const char*> names) const;

    // Member `key` read as T (see read_into), or `fallback` when it is absent or null: for
    // fields an older writer may have left out. A present member of the wrong type still throws.
    template <typename T>
    T get_or(const char* key, T fallback) const {
        if (const std::optional<JsonField> member = find(key))
            member->read_into(fallback);
        return fallback;
    }

    // Throws "field <path> must be <kind>" (or "the document must be ...").
    [[noreturn]] void fail_type(const std::string& kind) const;
    // Throws "field <path> <problem>" ("field histograms.latency has a bucket above its range").
    [[noreturn]] void fail(const std::string& problem) const;

    void read_into(std::string& out) const { out = as_string(); }
    void read_into(double& out) const { out = as_double(); }
    void read_into(bool& out) const { out = as_bool(); }
    void read_into(std::uint64_t& out) const { out = as_unsigned(); }
    void read_into(unsigned& out) const { out = as_unsigned<unsigned>(); }
    void read_into(std::uint16_t& out) const { out = as_unsigned<std::uint16_t>(); }
    void read_into(std::vector<std::string>& out) const { out = as_string_list(); }
    void read_into(std::map<std::string, std::string>& out) const { out = as_string_map(); }

  private:
    struct Source {
        std::string where;
        std::string hint;
    };
    JsonField(const nlohmann::json& value, std::string path, std::shared_ptr<const Source> source)
        : m_value(&value), m_path(std::move(path)), m_source(std::move(source)) {}
    std::string child_path(const std::string& key) const;
    std::uint64_t as_unsigned_up_to(std::uint64_t limit) const;
    [[noreturn]] void fail_at(const std::string& path, const std::string& problem) const;

    const nlohmann::json* m_value;
    std::string m_path;
    std::shared_ptr<const Source> m_source;
};

}  // namespace benchctl
