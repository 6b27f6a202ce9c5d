#include "import/label_slug.hpp"

#include <catch2/catch.hpp>

using namespace benchctl;

TEST_CASE("a label becomes a lowercase name of letters, digits, '_' and '-'") {
    CHECK(slug_for_label("WSGI Gunicorn Gevent") == "wsgi-gunicorn-gevent");
    CHECK(slug_for_label("  Fake redis hit!  ") == "fake-redis-hit");
    CHECK(slug_for_label("baseline_10ms") == "baseline_10ms");
    CHECK(slug_for_label("模型") == "value");
    CHECK(slug_for_label(std::string(100, 'a')).size() == 64);
}

TEST_CASE("labels with the same name get numbered names") {
    std::set<std::string> taken;
    CHECK(unique_slug("Sync", taken) == "sync");
    CHECK(unique_slug("sync!", taken) == "sync-2");
    CHECK(unique_slug("SYNC", taken) == "sync-3");
}
