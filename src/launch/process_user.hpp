#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace benchctl {

// An account a started process runs as instead of benchctl's own (LaunchSpec::user): servers
// that refuse to run as root (PostgreSQL) are started as one when benchctl is root.
struct ProcessUser {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups;  // supplementary groups, the primary one included
};

// The account named `name` from the user database (getpwnam_r, getgrouplist); nullopt when
// there is none.
std::optional<ProcessUser> lookup_process_user(const std::string& name);

// Whether `user` may reach `path`: search (x) permission on every directory from / down to
// `path` itself, from the classic mode bits (owner, group, other; ACLs are not read, so an ACL
// that grants more is missed and one that denies is not seen). A missing component counts as
// unreachable.
bool user_can_reach(const ProcessUser& user, const std::string& path);

}  // namespace benchctl
