#include "services/server_programs.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "scratch_dir.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;
using benchctl::find_server_programs;
using benchctl::ProgramSearch;
using benchctl::ServiceKind;
using benchctl::UserError;

namespace {

// A directory tree of fake programs under /tmp, removed at the end of the test.
class FakeRoot {
  public:
    // Creates an executable file at `relative`; returns its path.
    std::string program(const std::string& relative) {
        fs::path path = fs::path(m_dir.path()) / relative;
        fs::create_directories(path.parent_path());
        std::ofstream(path) << "#!/bin/sh\n";
        chmod(path.c_str(), 0755);
        return path.string();
    }
    std::string path(const std::string& relative = "") const {
        return (fs::path(m_dir.path()) / relative).string();
    }

  private:
    benchctl::testing::ScratchDir m_dir{"programs"};
};

UserError missing(ServiceKind kind, const ProgramSearch& search) {
    try {
        find_server_programs(kind, search);
    } catch (const UserError& error) {
        return error;
    }
    FAIL("no UserError");
    return UserError("", "", "");
}

}  // namespace

TEST_CASE("postgres comes from the newest Debian version that has initdb and postgres",
          "[services]") {
    FakeRoot root;
    for (const char* version : {"9.6", "13", "15"}) {
        for (const char* program : {"initdb", "postgres", "createdb"})
            root.program(std::string("pg/") + version + "/bin/" + program);
    }
    root.program("pg/16/bin/psql");  // a client-only version does not count
    ProgramSearch search{root.path("bin"), root.path("pg"), {}};
    benchctl::ServerPrograms programs = find_server_programs(ServiceKind::postgres, search);
    CHECK(programs.at("initdb") == root.path("pg/15/bin/initdb"));
    CHECK(programs.at("postgres") == root.path("pg/15/bin/postgres"));
    CHECK(programs.at("createdb") == root.path("pg/15/bin/createdb"));
}

TEST_CASE("postgres comes from the PATH where there is no Debian layout", "[services]") {
    FakeRoot root;
    root.program("usr/bin/initdb");
    root.program("usr/bin/postgres");
    root.program("other/createdb");
    ProgramSearch search{root.path("usr/bin") + ":" + root.path("other"), root.path("none"), {}};
    benchctl::ServerPrograms programs = find_server_programs(ServiceKind::postgres, search);
    CHECK(programs.at("initdb") == root.path("usr/bin/initdb"));
    CHECK(programs.at("createdb") == root.path("other/createdb"));
}

TEST_CASE("a missing server names the Debian package that installs it", "[services]") {
    FakeRoot root;
    ProgramSearch nothing{root.path("bin"), root.path("pg"), {root.path("sbin")}};
    UserError postgres = missing(ServiceKind::postgres, nothing);
    CHECK(std::string(postgres.what()) == "postgres is not installed: no initdb in " +
                                              root.path("pg") + "/<version>/bin nor on the PATH");
    CHECK(postgres.hint() ==
          "install the Debian package postgresql (apt-get install postgresql, or "
          "scripts/install-deps.sh)");
    CHECK(std::string(missing(ServiceKind::redis, nothing).what()) ==
          "redis is not installed: no redis-server on the PATH nor in " + root.path("sbin"));
    CHECK(missing(ServiceKind::redis, nothing).hint().find("redis-server (apt-get") !=
          std::string::npos);
    CHECK(missing(ServiceKind::nginx, nothing).hint().find("nginx-light") != std::string::npos);
}

TEST_CASE("nginx is found in an sbin directory that the PATH lacks", "[services]") {
    FakeRoot root;
    std::string nginx = root.program("sbin/nginx");
    ProgramSearch search{root.path("bin"), root.path("pg"), {root.path("sbin")}};
    CHECK(find_server_programs(ServiceKind::nginx, search).at("nginx") == nginx);
}
