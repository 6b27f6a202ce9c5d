#pragma once

#include "runner/host_pool.hpp"
#include "runner/http_client.hpp"
#include "runner/load_driver.hpp"
#include "runner/target_launcher.hpp"
#include "util/clock.hpp"
#include "util/disk_interface.hpp"

namespace benchctl {

// Everything through which a run touches the world: processes, the load client, time and the
// run directory's disk. run_matrix() uses nothing else, so a test that hands it fakes runs a
// whole matrix in milliseconds without a process, a socket or a file (tests/unit/runner/).
struct RunEnvironment {
    TargetLauncher& launcher;
    LoadDriver& load;
    Clock& clock;
    DiskInterface& disk;
    HttpClient& http;  // setup steps' requests
    // The connections to the matrix's `hosts:` (load.agents); nullptr when it names none.
    HostPool* hosts = nullptr;
};

// The real world: process_launcher(), engine_load_driver(), real_clock(), real_disk(),
// blocking_http_client().
RunEnvironment real_run_environment();

}  // namespace benchctl
