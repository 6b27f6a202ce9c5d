#pragma once

#include <string>
#include <string_view>

namespace benchctl {

// The local copy of a remote tree's log, appended to as the agent streams it (a RemoteTree's or
// a RemoteService's log sink, on the connection's reader thread).
class LogCopy {
  public:
    // Opens `path` for appending (created if absent). Throws UserError when it cannot.
    explicit LogCopy(const std::string& path);
    ~LogCopy();
    LogCopy(const LogCopy&) = delete;
    LogCopy& operator=(const LogCopy&) = delete;

    // Appends `bytes`; a write that fails (a full disk) loses log bytes, never the run.
    void append(std::string_view bytes);

  private:
    int m_fd = -1;
};

}  // namespace benchctl
