#include "launch/process_user.hpp"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

namespace benchctl {

namespace {

constexpr std::size_t k_initial_buffer = 16384;
constexpr int k_max_groups = 256;

bool may_search(const ProcessUser& user, const struct stat& status) {
    if (status.st_uid == user.uid)
        return (status.st_mode & S_IXUSR) != 0;
    bool in_group =
        std::find(user.groups.begin(), user.groups.end(), status.st_gid) != user.groups.end();
    if (in_group || status.st_gid == user.gid)
        return (status.st_mode & S_IXGRP) != 0;
    return (status.st_mode & S_IXOTH) != 0;
}

}  // namespace

std::optional<ProcessUser> lookup_process_user(const std::string& name) {
    std::vector<char> buffer(k_initial_buffer);
    passwd entry{};
    passwd* found = nullptr;
    if (getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 ||
        found == nullptr) {
        return std::nullopt;
    }
    ProcessUser user{entry.pw_name, entry.pw_uid, entry.pw_gid, {}};
    std::vector<gid_t> groups(k_max_groups);
    int count = k_max_groups;
    if (getgrouplist(entry.pw_name, entry.pw_gid, groups.data(), &count) < 0)
        count = 0;  // more than k_max_groups: the primary group alone
    groups.resize(static_cast<std::size_t>(count));
    if (groups.empty())
        groups.push_back(entry.pw_gid);
    user.groups = std::move(groups);
    return user;
}

bool user_can_reach(const ProcessUser& user, const std::string& path) {
    if (user.uid == 0)
        return true;
    std::filesystem::path current("/");
    std::filesystem::path target = std::filesystem::absolute(path).lexically_normal();
    for (const auto& part : target.relative_path()) {
        struct stat status {};
        if (stat(current.c_str(), &status) != 0 || !may_search(user, status))
            return false;
        current /= part;
    }
    struct stat status {};
    return stat(current.c_str(), &status) == 0 &&
           (!S_ISDIR(status.st_mode) || may_search(user, status));
}

}  // namespace benchctl
