// --only: running a subset of a matrix's cells by axis conditions or by globs over cell ids.

#include "matrix/cell_filter.hpp"

#include <catch2/catch.hpp>

#include "matrix_test_support.hpp"

using namespace benchctl;
using benchctl::testing::cell_ids;
using benchctl::testing::problems_with_only;

namespace {

const char* const k_filter_matrix = R"(name: t
axes:
  server:
    - {name: gunicorn, target: {command: [gunicorn, -b, "127.0.0.1:${port}"]}}
    - {name: hypercorn, target: {command: [hypercorn, -b, "127.0.0.1:${port}"]}}
    - {name: nginx, target: {command: [nginx, -p, "${port}"]}}
  endpoint: [small, large]
  mode: [sync, async]
exclude:
  - {server: gunicorn, mode: async}
)";

Matrix load_only(const std::vector<std::string>& only) {
    return load_matrix_text(k_filter_matrix, "m.yaml", {{}, only});
}

}  // namespace

TEST_CASE("an --only term keeps the cells meeting all its conditions; terms add up") {
    Matrix matrix = load_only({"server=nginx,endpoint=small", "server=hypercorn,mode=async"});
    CHECK(cell_ids(matrix) == std::vector<std::string>{"hypercorn.small.async",
                                                       "hypercorn.large.async", "nginx.small.sync",
                                                       "nginx.small.async"});
}

TEST_CASE(
    "option --only keeps each axis value's own settings, where --set axes.<axis> loses them") {
    Matrix matrix = load_only({"server=hypercorn,endpoint=large,mode=sync"});
    REQUIRE(matrix.cells.size() == 1);
    CHECK(matrix.cells[0].target.command ==
          std::vector<std::string>{"hypercorn", "-b", "127.0.0.1:${port}"});
    CHECK(matrix.axes[0].values.size() == 3);
}

TEST_CASE("option --only takes shell globs over cell ids and over value names") {
    CHECK(cell_ids(load_only({"gunicorn.*"})) ==
          std::vector<std::string>{"gunicorn.small.sync", "gunicorn.large.sync"});
    CHECK(cell_ids(load_only({"*.large.async"})) ==
          std::vector<std::string>{"hypercorn.large.async", "nginx.large.async"});
    CHECK(cell_ids(load_only({"server=*corn,endpoint=s*,mode=sync"})) ==
          std::vector<std::string>{"gunicorn.small.sync", "hypercorn.small.sync"});
}

TEST_CASE("an --only naming an unknown axis or value suggests the nearest") {
    CHECK(problems_with_only(k_filter_matrix, {"sever=nginx", "server=ngnix", "mode=t*"}) ==
          "--only sever=nginx: error: unknown axis 'sever' in --only; did you mean 'server'?\n"
          "--only server=ngnix: error: axis 'server' has no value 'ngnix'; did you mean "
          "'nginx'?\n"
          "--only mode=t*: error: no value of axis 'mode' matches 't*'; its values are: sync, "
          "async\n");
}

TEST_CASE("an --only that selects no cell is an error naming the axes' values") {
    CHECK(problems_with_only(k_filter_matrix, {"server=nginx", "apache.*"}) ==
          "--only apache.*: error: no cell matches it; cell ids look like "
          "'nginx.small.sync'; the axes are server (gunicorn, hypercorn, nginx); endpoint "
          "(small, large); mode (sync, async)\n");
    CHECK(problems_with_only(k_filter_matrix, {"nginx"}) ==
          "--only nginx: error: no cell matches it; a term without '=' is a glob over whole cell "
          "ids such as 'gunicorn.small.sync'; write server=nginx for the cells with that value\n");
}

TEST_CASE("an --only whose cells the exclude rules drop says so") {
    CHECK(problems_with_only(k_filter_matrix, {"server=gunicorn,mode=async"}) ==
          "--only server=gunicorn,mode=async: error: no cell matches it; the exclude rules drop "
          "every cell it names\n");
}

TEST_CASE("a malformed --only condition is reported with the syntax") {
    CHECK(problems_with_only(k_filter_matrix, {"server=,mode=sync"}) ==
          "--only server=,mode=sync: error: malformed --only condition 'server='; write "
          "axis=value (comma = and), or a glob over cell ids such as 'nginx.*'; repeat --only "
          "for or\n");
}

TEST_CASE("option --only applies to the cells include rules add") {
    Matrix matrix = load_matrix_text(std::string(k_filter_matrix) + R"(include:
  - {server: nginx, endpoint: small, mode: threaded}
)",
                                     "m.yaml", {{}, {"mode=threaded"}});
    CHECK(cell_ids(matrix) == std::vector<std::string>{"nginx.small.threaded"});
}
