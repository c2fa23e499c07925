#include "dnsd/metrics_text.hpp"

#include <gtest/gtest.h>

namespace dnsd {
namespace {

TEST(MetricsText, FamilyHeaderThenSamples) {
    MetricsText out;
    out.family("dnsd_things_total", "counter", "Things seen.");
    out.sample(3, {{"kind", "a"}});
    out.sample(0, {{"kind", "b"}, {"size", "big"}});
    out.family("dnsd_level", "gauge", "A level.");
    out.sample(42);
    EXPECT_EQ(out.text(),
              "# HELP dnsd_things_total Things seen.\n"
              "# TYPE dnsd_things_total counter\n"
              "dnsd_things_total{kind=\"a\"} 3\n"
              "dnsd_things_total{kind=\"b\",size=\"big\"} 0\n"
              "# HELP dnsd_level A level.\n"
              "# TYPE dnsd_level gauge\n"
              "dnsd_level 42\n");
}

TEST(MetricsText, LabelValuesAreEscaped) {
    EXPECT_EQ(escape_label_value(R"(a"b\c)"), R"(a\"b\\c)");
    EXPECT_EQ(escape_label_value("line\nbreak"), "line\\nbreak");
    EXPECT_EQ(escape_label_value("plain-1.2"), "plain-1.2");

    MetricsText out;
    out.family("m", "gauge", "h");
    out.sample(1, {{"v", "x\"y"}});
    EXPECT_EQ(out.text(), "# HELP m h\n# TYPE m gauge\nm{v=\"x\\\"y\"} 1\n");
}

TEST(MetricsText, TakeEmptiesTheWriter) {
    MetricsText out;
    out.family("m", "gauge", "h");
    out.sample(1);
    const std::string text = out.take();
    EXPECT_FALSE(text.empty());
    EXPECT_TRUE(out.text().empty());
}

}  // namespace
}  // namespace dnsd
