#include "matrix/variables.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <stdexcept>

using namespace benchctl;

TEST_CASE("substitutes every ${name} and turns $$ into $") {
    Variables values{{"server", "gunicorn"}, {"server.label", "Gunicorn"}, {"port", "8000"}};
    CHECK(substitute_variables("${server} on ${port}: ${server.label}", values) ==
          "gunicorn on 8000: Gunicorn");
    CHECK(substitute_variables("cost $$5, $${port}", values) == "cost $5, ${port}");
}

TEST_CASE("keeps a '$' that starts no variable, as at the end of a regex") {
    CHECK(substitute_variables("Listening at .*$", {}) == "Listening at .*$");
    CHECK(substitute_variables("a$b", {}) == "a$b");
}

TEST_CASE("leaves the names in keep as written") {
    Variables keep{{"port", ""}};
    CHECK(substitute_variables("127.0.0.1:${port}/${mode}", {{"mode", "sync"}}, keep) ==
          "127.0.0.1:${port}/sync");
}

TEST_CASE("throws out_of_range naming an unknown variable") {
    try {
        substitute_variables("x ${nope} y", {{"yes", "1"}});
        FAIL("no exception");
    } catch (const std::out_of_range& error) {
        CHECK(std::string(error.what()) == "nope");
    }
}

TEST_CASE("throws invalid_argument on an unterminated or empty reference") {
    CHECK_THROWS_AS(substitute_variables("${port", {}), std::invalid_argument);
    CHECK_THROWS_AS(substitute_variables("${}", {}), std::invalid_argument);
}

TEST_CASE("reads ${env:NAME} from the environment and rejects an unset one") {
    ::setenv("BENCHCTL_TEST_VARIABLE", "a$b", 1);
    CHECK(substitute_variables("${env:BENCHCTL_TEST_VARIABLE}", {}) == "a$b");
    ::unsetenv("BENCHCTL_TEST_VARIABLE_UNSET");
    CHECK_THROWS_AS(substitute_variables("${env:BENCHCTL_TEST_VARIABLE_UNSET}", {}),
                    std::out_of_range);
}

TEST_CASE("a partial pass keeps $$ and run-time variables for the runner's pass") {
    ::setenv("BENCHCTL_TEST_VARIABLE", "a$b", 1);
    Variables values{{"mode", "sync"}, {"server.bind", "127.0.0.1:${port}"}};
    Variables keep{{"port", ""}};
    std::string template_text = substitute_variables_partially(
        "${server.bind} ${mode} $$HOME ${env:BENCHCTL_TEST_VARIABLE}", values, keep);
    CHECK(template_text == "127.0.0.1:${port} sync $$HOME a$$b");
    CHECK(substitute_variables(template_text, {{"port", "9000"}}) ==
          "127.0.0.1:9000 sync $HOME a$b");
}

TEST_CASE("escape_variables makes text survive a later substitution unchanged") {
    std::string text = "price: $5 ${not_a_variable}";
    CHECK(substitute_variables(escape_variables(text), {}) == text);
}

TEST_CASE("variable_names lists every reference in order") {
    CHECK(variable_names("${a}-$${b}-${c.d}-${env:X}") ==
          std::vector<std::string>{"a", "c.d", "env:X"});
}
