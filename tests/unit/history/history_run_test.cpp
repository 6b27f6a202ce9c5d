#include "history/history_run.hpp"

#include <catch2/catch.hpp>

using benchctl::fingerprint_differences;
using benchctl::MachineFingerprint;

TEST_CASE("fingerprints list the fields that differ") {
    const MachineFingerprint a{"AMD EPYC 7763", 2, "Linux 6.1.0 x86_64", "0.1.0"};
    MachineFingerprint b = a;
    CHECK(fingerprint_differences(a, b).empty());
    CHECK(a == b);
    b.cores = 4;
    b.benchctl_version = "0.2.0";
    CHECK(fingerprint_differences(a, b) == std::vector<std::string>{"cores", "benchctl_version"});
    CHECK_FALSE(a == b);
}
