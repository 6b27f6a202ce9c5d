#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "load/fast_random.hpp"
#include "load/request_model.hpp"
#include "load/response_capture.hpp"
#include "load/weighted_choice.hpp"
#include "util/text_pattern.hpp"

namespace benchctl {

// The positions of one run in its sequential and unique data sets: one atomic counter per data
// set, each on a cache line of its own (every thread takes from them once per request).
class DataCursors {
  public:
    explicit DataCursors(std::size_t sets);
    // Takes the next position of data set `set` (0, 1, 2 ... over the run, across threads).
    std::uint64_t take(std::size_t set) {
        return m_counters[set].value.fetch_add(1, std::memory_order_relaxed);
    }
    // How many positions were taken.
    std::uint64_t taken(std::size_t set) const {
        return m_counters[set].value.load(std::memory_order_relaxed);
    }

  private:
    struct alignas(64) Counter {
        std::atomic<std::uint64_t> value{0};
    };
    std::unique_ptr<Counter[]> m_counters;
};

// Where one connection (a virtual user) is in the model, and the bytes of its request in flight.
// Owned by the load thread, one per connection.
struct VirtualUser {
    std::string request;                  // the rendered request, until it is sent
    std::uint32_t current = 0;            // the request in flight (index into the model's requests)
    std::uint32_t step = 0;               // a sequence's next step
    std::vector<std::uint32_t> rows;      // the row taken from each data set
    std::vector<CapturedValue> captures;  // by capture slot
    ResponseCapture capture;              // takes the captures of the response in flight
};

// A request ready to send: its bytes (the model's own for a fixed request, else the user's
// buffer), whether its response has a body, and which request of the model it is.
struct PreparedRequest {
    std::string_view bytes;
    bool expect_body = true;
    std::uint32_t index = 0;
};

// Why a response failed its checks.
struct CheckFailure {
    enum class Kind { status, capture } kind = Kind::status;
    int status = 0;
    std::string_view capture;  // the capture that found nothing (a view into the model)
};

// A load thread's way through a request model: chooses each connection's next request (by
// weight in a mix, in order in a sequence), takes its data-set rows, renders it into the
// connection's buffer, and checks each response (expected status, captures). One per thread,
// with its own random source; it shares only the run's DataCursors. Never throws once built.
class RequestSource {
  public:
    // `seed` seeds this thread's random source; `thread_index` of `thread_count` interleaves
    // {{seq}} (thread i numbers i+1, i+1+n, i+1+2n ...), so numbers are unique across threads.
    RequestSource(const RequestModel& model, DataCursors& cursors, std::uint64_t seed,
                  unsigned thread_index, unsigned thread_count);

    // Prepares a user (a connection) before its first request.
    void attach(VirtualUser& user) const;

    // Prepares `user`'s next request, sent on connection number `connection`. `index` forces
    // which request of the model (a walk through every entry); otherwise the model chooses.
    // Returns nullopt when a unique data set has no row left (exhausted_set() says which).
    std::optional<PreparedRequest> next(VirtualUser& user, std::uint64_t connection,
                                        std::optional<std::uint32_t> index = std::nullopt);

    // What observes the response to `user`'s request: its captures, or nullptr when it takes
    // none.
    ResponseObserver* observer(VirtualUser& user);

    // The response to `user`'s request arrived whole with `status`: checks the expected status
    // and the captures. A sequence moves to its next step when they hold and starts over when
    // not. Returns the failure, or nullopt when the checks held.
    std::optional<CheckFailure> complete(VirtualUser& user, int status);

    // `user`'s request failed on the wire: a sequence starts over.
    void fail(VirtualUser& user) const;

    // The data set whose rows ran out, if one did.
    std::optional<std::uint32_t> exhausted_set() const { return m_exhausted; }

  private:
    bool take_rows(VirtualUser& user, const std::vector<std::uint32_t>& sets);
    void restart(VirtualUser& user) const;

    const RequestModel& m_model;
    DataCursors& m_cursors;
    FastRandom m_random;
    std::optional<WeightedChoice> m_mix;
    std::uint64_t m_next_seq;
    std::uint64_t m_seq_stride;
    std::string m_body;  // scratch for rendering bodies
    std::vector<const DataSet*> m_data;
    std::vector<std::vector<const JsonPath*>> m_paths;  // per request
    std::vector<std::vector<TextPattern>> m_patterns;   // per request: this thread's copies
    std::optional<std::uint32_t> m_exhausted;
};

}  // namespace benchctl
