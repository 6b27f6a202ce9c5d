#include "load/load_result.hpp"

namespace benchctl {

void ErrorCounts::add(const ErrorCounts& other) {
    connect += other.connect;
    read += other.read;
    write += other.write;
    timeout += other.timeout;
    parse += other.parse;
    check += other.check;
}

std::uint64_t& ErrorCounts::at(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::connect:
            return connect;
        case ErrorKind::read:
            return read;
        case ErrorKind::write:
            return write;
        case ErrorKind::timeout:
            return timeout;
        case ErrorKind::parse:
            return parse;
        case ErrorKind::check:
            return check;
    }
    return check;
}

void RequestCounts::add(const RequestCounts& other) {
    started += other.started;
    completed += other.completed;
    failed += other.failed;
    in_flight_at_stop += other.in_flight_at_stop;
}

std::uint64_t LoadResult::non_2xx_3xx() const {
    std::uint64_t count = 0;
    for (const auto& [status, responses] : status_codes) {
        if (status < 200 || status > 399)
            count += responses;
    }
    return count;
}

double LoadResult::requests_per_sec() const {
    return duration_sec > 0 ? static_cast<double>(requests.completed) / duration_sec : 0.0;
}

double LoadResult::bytes_read_per_sec() const {
    return duration_sec > 0 ? static_cast<double>(bytes_read) / duration_sec : 0.0;
}

}  // namespace benchctl
