#include "services/one_shot.hpp"

#include <csignal>
#include <fstream>
#include <thread>

namespace benchctl {

namespace {

using namespace std::chrono_literals;

constexpr auto k_poll_interval = 20ms;
constexpr std::streamoff k_max_output = 16 * 1024;

std::string read_from(const std::string& path, std::uint64_t offset) {
    std::ifstream file(path, std::ios::binary | std::ios::ate);
    if (!file)
        return "";
    std::streamoff size = file.tellg();
    std::streamoff start = std::max(static_cast<std::streamoff>(offset), size - k_max_output);
    if (start >= size)
        return "";
    std::string text(static_cast<std::size_t>(size - start), '\0');
    file.seekg(start);
    file.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(file.gcount()));
    return text;
}

}  // namespace

OneShotOutcome run_to_completion(const LaunchSpec& spec, std::chrono::nanoseconds timeout,
                                 const std::atomic<bool>& cancel) {
    ProcessTree tree = ProcessTree::start(spec);
    OneShotOutcome outcome;
    auto until = std::chrono::steady_clock::now() + timeout;
    while (!(outcome.exit = tree.poll_exit())) {
        if (cancel.load()) {
            outcome.interrupted = true;
            break;
        }
        if (std::chrono::steady_clock::now() >= until)
            break;
        std::this_thread::sleep_for(k_poll_interval);
    }
    // Whatever it left running (a daemon it started, a child of a killed root) ends here.
    tree.stop(SIGKILL, std::chrono::nanoseconds{0});
    outcome.output = read_from(spec.log_path, tree.log_start_offset());
    return outcome;
}

}  // namespace benchctl
