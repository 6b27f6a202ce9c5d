#include "runner/run_environment.hpp"

namespace benchctl {

namespace {

class EngineLoadDriver final : public LoadDriver {
  public:
    LoadResult run(const LoadSettings& settings, const StopSignal& stop,
                   LoadProgress* progress) override {
        return run_load(settings, stop, progress);
    }
};

}  // namespace

LoadDriver& engine_load_driver() {
    static EngineLoadDriver driver;
    return driver;
}

RunEnvironment real_run_environment() {
    return {process_launcher(), engine_load_driver(), real_clock(), real_disk(),
            blocking_http_client()};
}

}  // namespace benchctl
