#include <optional>

#include "launch/resource_sampler.hpp"
#include "runner/target_launcher.hpp"
#include "util/cpu_list.hpp"

namespace benchctl {

namespace {

using namespace std::chrono_literals;

constexpr auto k_sample_interval = 100ms;

class ProcessTarget final : public RunningTarget {
  public:
    ProcessTarget(ProcessTree tree, std::string log_path)
        : m_tree(std::move(tree)), m_log_path(std::move(log_path)) {}

    std::string tracking() const override { return process_tracking_name(m_tree.tracking()); }
    ReadyOutcome wait_until_ready(const ReadinessSpec& spec, std::uint16_t port,
                                  const std::atomic<bool>& cancel) override {
        return benchctl::wait_until_ready(m_tree, spec, port, m_log_path, cancel);
    }
    std::optional<ExitStatus> poll_exit() override { return m_tree.poll_exit(); }
    std::chrono::microseconds cpu_time() override { return tree_cpu_time(m_tree); }
    void start_sampling() override {
        m_sampler.emplace(m_tree, k_sample_interval);
        m_sampler->start();
    }
    ResourceUsage finish_sampling() override {
        return m_sampler ? m_sampler->finish() : ResourceUsage{};
    }
    StopReport stop(int signal, std::chrono::nanoseconds grace,
                    const std::atomic<bool>* cut_short) override {
        if (m_sampler)
            m_sampler->finish();
        return m_tree.stop(signal, grace, cut_short);
    }

  private:
    ProcessTree m_tree;
    std::string m_log_path;
    std::optional<ResourceSampler> m_sampler;  // declared after the tree: destroyed first
};

class ProcessLauncher final : public TargetLauncher {
  public:
    std::uint16_t free_port() override { return find_free_port(); }
    std::unique_ptr<RunningTarget> start(const LaunchSpec& spec) override {
        return std::make_unique<ProcessTarget>(ProcessTree::start(spec), spec.log_path);
    }
    std::string log_tail(const std::string& path, unsigned lines) override {
        return benchctl::log_tail(path, lines);
    }
    std::size_t usable_cpu_count() override { return usable_cpus().size(); }
};

}  // namespace

TargetLauncher& process_launcher() {
    static ProcessLauncher launcher;
    return launcher;
}

}  // namespace benchctl
