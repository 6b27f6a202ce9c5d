#include "load/placeholder.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "load/data_set.hpp"
#include "load/fast_random.hpp"

using namespace benchctl;

namespace {

const std::vector<std::pair<std::string, SpecText>> k_vars = {{"key", {"d0f4&ac8c", {}}}};

DataSet tasks() {
    return DataSet::parse("title,description\nBuy milk,two litres\n\"a,b\",\"x\"\"y\"\n",
                          "tasks.csv", DataFormat::csv, {});
}

// The scope of a step that may use `tasks`, the vars and capture `id` (captured before).
TemplateScope scope_with(const DataSet& set) {
    TemplateScope scope;
    scope.vars = &k_vars;
    scope.data = {{"tasks", &set}};
    scope.captures = {"id", "later"};
    scope.capture_steps = {"create", "next"};
    scope.captured_before = {true, false};
    return scope;
}

TextTemplate compile(const std::string& text, Escape escape, std::vector<SpecProblem>& problems) {
    static const DataSet set = tasks();
    return compile_template({text, {"m.yaml", 3, 7}}, escape, Escape::raw, scope_with(set),
                            problems);
}

// Compiles `text` (which must have no problem) and renders it with row `row` of tasks and the
// capture id = "7 7".
std::string render(const std::string& text, Escape escape, std::uint32_t row = 0) {
    static const DataSet set = tasks();
    std::vector<SpecProblem> problems;
    TextTemplate compiled =
        compile_template({text, {"m.yaml", 3, 7}}, escape, Escape::raw, scope_with(set), problems);
    REQUIRE(problems.empty());
    FastRandom random(1);
    const DataSet* data[] = {&set};
    std::uint32_t rows[] = {row};
    CapturedValue captures[] = {{"7 7", false, true}, {}};
    RenderInputs inputs;
    inputs.random = &random;
    inputs.data = data;
    inputs.rows = rows;
    inputs.captures = captures;
    inputs.seq = 41;
    inputs.uuid = "123e4567-e89b-42d3-a456-426614174000";
    inputs.connection = 3;
    std::string out;
    compiled.render(out, inputs);
    return out;
}

std::string first_problem(const std::string& text) {
    std::vector<SpecProblem> problems;
    compile(text, Escape::raw, problems);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].where.to_string() == "m.yaml:3:7");
    return problems[0].what + "; " + problems[0].hint;
}

}  // namespace

TEST_CASE("a template compiles into literal segments and slots, and a plain text is literal") {
    std::vector<SpecProblem> problems;
    CHECK(compile("/items/1?x=2", Escape::url, problems).is_literal());
    CHECK_FALSE(compile("/items/{{seq}}", Escape::url, problems).is_literal());
    CHECK(compile("/k/{{key}}", Escape::url, problems).is_literal());  // a var is inlined
    CHECK(problems.empty());
}

TEST_CASE("placeholders render data-set fields, vars, captures and the built-ins") {
    CHECK(render("{{tasks.title}}|{{tasks.description}}", Escape::raw, 1) == "a,b|x\"y");
    CHECK(render("{{ tasks.title }}", Escape::raw) == "Buy milk");
    CHECK(render("{{key}}", Escape::url) == "d0f4%26ac8c");
    CHECK(render("/items/{{id}}", Escape::url) == "/items/7%207");
    CHECK(render("{{seq}}-{{connection}}-{{uuid}}", Escape::raw) ==
          "41-3-123e4567-e89b-42d3-a456-426614174000");
    CHECK(render("{{\"{{\"}}literal", Escape::raw) == "{{literal");
}

TEST_CASE("each placeholder's value is escaped for where it lands, the literal text is not") {
    CHECK(render("/items/{{tasks.title}}?q={{tasks.title}}", Escape::url) ==
          "/items/Buy%20milk?q=Buy%20milk");
    CHECK(render("{{tasks.title}}", Escape::form, 1) == "a%2Cb");
    CHECK(render("say {{tasks.description}}", Escape::json_string, 1) == "say x\\\"y");
}

TEST_CASE("random.int stays in its range and random.choice picks only its items") {
    std::set<std::string> seen;
    const DataSet set = tasks();
    std::vector<SpecProblem> problems;
    TextTemplate numbers = compile_template({"{{random.int(-2,2)}}", {}}, Escape::raw, Escape::raw,
                                            scope_with(set), problems);
    TextTemplate choices = compile_template({"{{random.choice(GET, \"a, b\",c)}}", {}}, Escape::raw,
                                            Escape::raw, scope_with(set), problems);
    REQUIRE(problems.empty());
    FastRandom random(7);
    RenderInputs inputs;
    inputs.random = &random;
    std::set<std::string> picked;
    for (int i = 0; i < 1000; ++i) {
        std::string out;
        numbers.render(out, inputs);
        seen.insert(out);
        out.clear();
        choices.render(out, inputs);
        picked.insert(out);
    }
    CHECK(seen == std::set<std::string>{"-2", "-1", "0", "1", "2"});
    CHECK(picked == std::set<std::string>{"GET", "a, b", "c"});
}

TEST_CASE("a whole-value placeholder tells single_placeholder apart from text around one") {
    CHECK(is_single_placeholder("{{seq}}"));
    CHECK_FALSE(is_single_placeholder("id-{{seq}}"));
    CHECK_FALSE(is_single_placeholder("{{a}}{{b}}"));
    CHECK(mask_placeholders("http://h:1/{{a b}}/x?{{c}}", "x") == "http://h:1/x/x?x");
}

TEST_CASE("unknown names, fields, functions and early captures are problems at the text") {
    CHECK(first_problem("{{tasks.titel}}") ==
          "data set 'tasks' has no field 'titel' (in {{tasks.titel}}); did you mean 'title'?");
    CHECK(first_problem("{{task.title}}") ==
          "unknown data set 'task' in {{task.title}}; did you mean 'tasks'?");
    CHECK(first_problem("{{random.float(1,2)}}") ==
          "unknown placeholder function 'random.float' in {{random.float(1,2)}}; did you mean "
          "'random.int'?");
    CHECK(first_problem("{{random.int(5,1)}}") ==
          "{{random.int(5,1)}} needs two whole numbers, the smaller first; write "
          "random.int(1,100) for 1 to 100 inclusive");
    CHECK(first_problem("{{later}}") ==
          "capture 'later' is used before a step captures it; step 'next' captures it; use it "
          "in the steps after that one");
    CHECK(first_problem("{{kye}}") == "unknown placeholder {{kye}}; did you mean 'key'?");
    CHECK(first_problem("/a/{{seq") ==
          "placeholder '{{seq' is not closed; end it with }}; write {{\"{{\"}} for a literal {{");
}
