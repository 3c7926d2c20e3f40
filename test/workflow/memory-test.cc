// ./lpwan memory and ./lpwan code-size as a user runs them: lpwan-memory measures exactly the
// profiles the scenario schema offers (a new profile without a memory measurement fails here),
// and the code-size script links every profile's stack, labels its figures as this build's,
// and prints the published embedded figures beside them with their source.
#include "workflow-test-util.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

using namespace workflow_test;

TEST(WorkflowMemory, EveryProfileOfTheSchemaIsMeasured)
{
    ScratchDir dir("memory-profiles");
    const Finished schema
        = RunProgram(kPython,
                     {"-c", "import sys; sys.path.insert(0, '" + SourcePath("analysis")
                                + "'); from lpwan_runs import security_profiles; "
                                  "print('\\n'.join(security_profiles('"
                                + Runner() + "')))"},
                     dir / "schema");
    ASSERT_EQ(schema.status, 0) << schema.err;
    const std::vector<std::string> lines = Lines(schema.out);
    const std::set<std::string> offered(lines.begin(), lines.end());
    ASSERT_GE(offered.size(), 8u);

    const std::string memory = std::string(LPWAN_BINARY_DIR) + "/bin/lpwan-memory";
    const Finished m = RunProgram(memory, {"--json"}, dir / "memory");
    ASSERT_EQ(m.status, 0) << m.err;
    const nlohmann::json j = nlohmann::json::parse(m.out);
    std::set<std::string> measured;
    for (const auto& p : j.at("profiles"))
    {
        measured.insert(p.at("profile").get<std::string>());
        EXPECT_NEAR(p.at("server_million_devices_gib").get<double>(),
                    p.at("server_per_device_bytes").get<double>() * 1e6 / (1 << 30), 1e-9);
    }
    EXPECT_EQ(measured, offered);

    const Finished unknown = RunProgram(memory, {"--profile", "nope"}, dir / "unknown");
    EXPECT_EQ(unknown.status, 2);
    EXPECT_NE(unknown.err.find("no memory measurement for profile 'nope'"), std::string::npos);
}

TEST(WorkflowMemory, CodeSizeLinksEveryStackAndLabelsItsFigures)
{
    ScratchDir dir("code-size");
    const Finished f = RunProgram(
        kPython, {SourcePath("analysis/code_size.py"), "--build", LPWAN_BINARY_DIR, "--json"},
        dir / "code-size", 120);
    ASSERT_EQ(f.status, 0) << f.err;
    const nlohmann::json j = nlohmann::json::parse(f.out);
    EXPECT_NE(j.at("unit").get<std::string>().find("x86-64"), std::string::npos);
    std::map<std::string, nlohmann::json> rows;
    for (const auto& r : j.at("profiles"))
    {
        rows[r.at("profile").get<std::string>()] = r;
        EXPECT_EQ(r.at("total_text_bytes").get<int>(),
                  r.at("project_text_bytes").get<int>() + r.at("library_text_bytes").get<int>());
    }
    EXPECT_EQ(rows.size(), 10u);
    // mbedTLS's TLS layer (libmbedtls.a) is only in the (D)TLS profiles' link.
    EXPECT_GT(rows.at("dtls-psk").at("library_text_bytes").get<int>(),
              rows.at("oscore").at("library_text_bytes").get<int>() + 100 * 1024);
    // EDHOC adds its own code to OSCORE's.
    EXPECT_GT(rows.at("edhoc-oscore").at("project_text_bytes").get<int>(),
              rows.at("oscore").at("project_text_bytes").get<int>());
    // The published figures carry their source.
    EXPECT_NE(j.at("published_embedded").at("source").get<std::string>().find("uoscore-uedhoc"),
              std::string::npos);
    EXPECT_EQ(j.at("published_embedded").at("rows").at(0).at("flash_bytes").get<int>(), 41156);
}
