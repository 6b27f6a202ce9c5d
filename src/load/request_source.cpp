#include "load/request_source.hpp"

#include <algorithm>

#include "load/request_render.hpp"

namespace benchctl {

DataCursors::DataCursors(std::size_t sets) : m_counters(std::make_unique<Counter[]>(sets)) {}

RequestSource::RequestSource(const RequestModel& model, DataCursors& cursors, std::uint64_t seed,
                             unsigned thread_index, unsigned thread_count)
    : m_model(model),
      m_cursors(cursors),
      m_random(seed),
      m_next_seq(thread_index + 1),
      m_seq_stride(thread_count) {
    if (model.shape == RequestShape::mix) {
        std::vector<double> weights;
        for (const CompiledRequest& request : model.requests)
            weights.push_back(request.weight);
        m_mix.emplace(weights);
    }
    for (const ModelDataSet& set : model.data)
        m_data.push_back(set.rows.get());
    for (const CompiledRequest& request : model.requests) {
        std::vector<const JsonPath*>& paths = m_paths.emplace_back();
        for (const JsonPath& path : request.json_paths)
            paths.push_back(&path);
        std::vector<TextPattern>& patterns = m_patterns.emplace_back();
        for (const std::string& pattern : request.patterns)
            patterns.emplace_back(pattern);
    }
}

void RequestSource::attach(VirtualUser& user) const {
    user.rows.assign(m_model.data.size(), 0);
    user.captures.assign(m_model.captures.size(), CapturedValue{});
    user.step = 0;
}

// Takes a row of each data set in `sets` for the user's next request (or sequence pass).
bool RequestSource::take_rows(VirtualUser& user, const std::vector<std::uint32_t>& sets) {
    for (std::uint32_t set : sets) {
        const ModelDataSet& data = m_model.data[set];
        const std::uint64_t rows = data.rows->row_count();
        switch (data.pick) {
            case PickMode::random:
                user.rows[set] = static_cast<std::uint32_t>(m_random.below(rows));
                break;
            case PickMode::sequential:
                user.rows[set] = static_cast<std::uint32_t>(m_cursors.take(set) % rows);
                break;
            case PickMode::unique: {
                const std::uint64_t position = m_cursors.take(set);
                if (position >= rows) {
                    m_exhausted = set;
                    return false;
                }
                user.rows[set] = static_cast<std::uint32_t>(position);
                break;
            }
        }
    }
    return true;
}

std::optional<PreparedRequest> RequestSource::next(VirtualUser& user, std::uint64_t connection,
                                                   std::optional<std::uint32_t> index) {
    std::uint32_t chosen = 0;
    if (index) {
        chosen = *index;
    } else if (m_model.shape == RequestShape::mix) {
        chosen = static_cast<std::uint32_t>(m_mix->pick(m_random.unit()));
    } else if (m_model.shape == RequestShape::sequence) {
        chosen = user.step;
    }
    const CompiledRequest& request = m_model.requests[chosen];
    user.current = chosen;
    if (m_model.shape == RequestShape::sequence) {
        if (chosen == 0 && !take_rows(user, m_model.sequence_data_sets))
            return std::nullopt;
    } else if (!take_rows(user, request.data_sets)) {
        return std::nullopt;
    }
    if (request.fixed)
        return PreparedRequest{*request.fixed, request.expect_body, chosen};
    char uuid[36];
    RenderInputs inputs;
    inputs.random = &m_random;
    inputs.data = m_data.data();
    inputs.rows = user.rows.data();
    inputs.captures = user.captures.data();
    inputs.connection = connection;
    if (request.uses_seq) {
        inputs.seq = m_next_seq;
        m_next_seq += m_seq_stride;
    }
    if (request.uses_uuid) {
        format_uuid_v4(m_random, uuid);
        inputs.uuid = std::string_view(uuid, sizeof uuid);
    }
    const bool expect_body = render_request_bytes(request, inputs, m_body, user.request);
    return PreparedRequest{user.request, expect_body, chosen};
}

ResponseObserver* RequestSource::observer(VirtualUser& user) {
    const CompiledRequest& request = m_model.requests[user.current];
    if (request.captures.empty())
        return nullptr;
    user.capture.begin(request.captures, m_paths[user.current], &m_patterns[user.current]);
    return &user.capture;
}

std::optional<CheckFailure> RequestSource::complete(VirtualUser& user, int status) {
    const CompiledRequest& request = m_model.requests[user.current];
    std::optional<CheckFailure> failure;
    const auto& expected = request.expect_status;
    if (!expected.empty() &&
        std::find(expected.begin(), expected.end(), status) == expected.end()) {
        failure = CheckFailure{CheckFailure::Kind::status, status, {}};
    } else if (!request.captures.empty()) {
        std::string_view missing;
        if (!user.capture.finish(user.captures, missing))
            failure = CheckFailure{CheckFailure::Kind::capture, status, missing};
    }
    if (m_model.shape == RequestShape::sequence) {
        if (failure) {
            restart(user);
        } else if (++user.step == m_model.requests.size()) {
            restart(user);
        }
    }
    return failure;
}

void RequestSource::fail(VirtualUser& user) const {
    if (m_model.shape == RequestShape::sequence)
        restart(user);
}

void RequestSource::restart(VirtualUser& user) const {
    user.step = 0;
    for (CapturedValue& value : user.captures)
        value.set = false;
}

}  // namespace benchctl
