#include "registry/names.hpp"

#include <gtest/gtest.h>

namespace dnsd::registry {
namespace {

TEST(Names, LabelsAreLettersDigitsAndHyphens) {
    EXPECT_TRUE(is_valid_label("api"));
    EXPECT_TRUE(is_valid_label("API-2"));
    EXPECT_TRUE(is_valid_label("--1-80"));
    EXPECT_TRUE(is_valid_label(std::string(63, 'a')));
    EXPECT_FALSE(is_valid_label(""));
    EXPECT_FALSE(is_valid_label(std::string(64, 'a')));
    EXPECT_FALSE(is_valid_label("bad_name"));
    EXPECT_FALSE(is_valid_label("a.b"));
    EXPECT_FALSE(is_valid_label("caf\xc3\xa9"));
}

TEST(Names, CanonicalFormIsLowerCase) {
    EXPECT_EQ(canonical_label("ApI-X"), "api-x");
}

}  // namespace
}  // namespace dnsd::registry
