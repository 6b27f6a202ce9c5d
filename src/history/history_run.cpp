#include "history/history_run.hpp"

namespace benchctl {

std::vector<std::string> fingerprint_differences(const MachineFingerprint& a,
                                                 const MachineFingerprint& b) {
    std::vector<std::string> differences;
    if (a.cpu_model != b.cpu_model)
        differences.emplace_back("cpu_model");
    if (a.cores != b.cores)
        differences.emplace_back("cores");
    if (a.kernel != b.kernel)
        differences.emplace_back("kernel");
    if (a.benchctl_version != b.benchctl_version)
        differences.emplace_back("benchctl_version");
    return differences;
}

}  // namespace benchctl
