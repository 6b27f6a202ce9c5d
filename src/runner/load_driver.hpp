#pragma once

#include "load/load_engine.hpp"
#include "load/load_result.hpp"
#include "load/load_settings.hpp"

namespace benchctl {

// Runs one cell's load: the runner's one way into the load client, so that tests give it canned
// results (no request completed, a ramp, a saturated client, a load a target exit cuts short)
// without opening a socket.
class LoadDriver {
  public:
    virtual ~LoadDriver() = default;
    // As run_load(): blocks until the stop rule is met or `stop` is requested; called on a
    // thread of its own while the runner watches the target. Throws UserError as run_load does.
    virtual LoadResult run(const LoadSettings& settings, const StopSignal& stop,
                           LoadProgress* progress) = 0;
};

// The real load client (run_load). Stateless; lives for the program.
LoadDriver& engine_load_driver();

}  // namespace benchctl
