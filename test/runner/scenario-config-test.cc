// Scenario validation: every error is one line naming the file (or --set), the line and the key.
#include "scenario-config.h"
#include "scenario-validation.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

using namespace ns3;

namespace
{

std::string
ErrorOf(const std::string& yaml)
{
    try
    {
        ScenarioConfig c = ScenarioConfig::FromYaml(yaml, "bad.yaml");
        ValidateScenario(c);
    }
    catch (const ScenarioError& e)
    {
        return e.what();
    }
    return "";
}

} // namespace

TEST(ScenarioConfig, DefaultsMatchSchema)
{
    ScenarioConfig c;
    EXPECT_EQ(c.GetInteger("devices.count"), 100);
    EXPECT_DOUBLE_EQ(c.GetReal("link.loss"), 0.1);
    EXPECT_EQ(c.GetText("security.profile"), "none");
    EXPECT_FALSE(c.GetBoolean("trace.pcap"));
}

TEST(ScenarioConfig, NestedSectionsBecomeDottedKeys)
{
    ScenarioConfig c = ScenarioConfig::FromYaml("link:\n  loss: 0.25\ndevices:\n  count: 7\n", "x");
    EXPECT_DOUBLE_EQ(c.GetReal("link.loss"), 0.25);
    EXPECT_EQ(c.GetInteger("devices.count"), 7);
    EXPECT_EQ(c.Origin("link.loss"), "x:2");
    EXPECT_EQ(c.Origin("coap.nstart"), "default");
}

TEST(ScenarioConfig, UnknownKeyNamesFileLineAndKey)
{
    EXPECT_EQ(ErrorOf("link:\n  loss: 0.1\n  lossy: 3\n"),
              "bad.yaml:3: link.lossy: unknown key (lpwan-run --list-keys lists them all)");
    EXPECT_EQ(ErrorOf("colour: blue\n"),
              "bad.yaml:1: colour: unknown key (lpwan-run --list-keys lists them all)");
}

// Regression (found by the scenario-config fuzz target): control characters of a key or value
// went into the error as they were, so a newline split it and a NUL cut it short.
TEST(ScenarioConfig, ErrorsStayOneLineWhateverTheFileHolds)
{
    EXPECT_EQ(ErrorOf("{devices: {cou\x01nt: 2}}\n"),
              "bad.yaml:1: devices.cou\\x01nt: unknown key (lpwan-run --list-keys lists them all)");
    EXPECT_EQ(ErrorOf("devices:\n  count: \"1\\n2\"\n"),
              "bad.yaml:2: devices.count: '1\\x0a2' is not an integer");
}

TEST(ScenarioConfig, OutOfRangeValue)
{
    EXPECT_EQ(ErrorOf("link:\n  loss: 1.5\n"), "bad.yaml:2: link.loss: 1.5 is out of range [0, 1]");
    EXPECT_EQ(ErrorOf("devices:\n  count: 0\n"),
              "bad.yaml:2: devices.count: 0 is out of range [1, 16777213]");
    EXPECT_EQ(ErrorOf("traffic:\n  interval_s: 0\n"),
              "bad.yaml:2: traffic.interval_s: 0 is out of range (0, inf] s");
}

TEST(ScenarioConfig, MalformedValues)
{
    EXPECT_EQ(ErrorOf("devices:\n  count: ten\n"),
              "bad.yaml:2: devices.count: 'ten' is not an integer");
    EXPECT_EQ(ErrorOf("devices:\n  count: 1.5\n"),
              "bad.yaml:2: devices.count: '1.5' is not an integer");
    EXPECT_EQ(ErrorOf("link:\n  delay_s: 1s\n"), "bad.yaml:2: link.delay_s: '1s' is not a number");
    EXPECT_EQ(ErrorOf("link:\n  delay_s: nan\n"),
              "bad.yaml:2: link.delay_s: 'nan' is not a number");
    EXPECT_EQ(ErrorOf("trace:\n  pcap: yes\n"),
              "bad.yaml:2: trace.pcap: 'yes' is not true or false");
    EXPECT_EQ(ErrorOf("security:\n  profile: ipsec\n"),
              "bad.yaml:2: security.profile: 'ipsec' is not one of "
              "none|oscore|dtls-psk|dtls-ecdhe|tls-mqtt|edhoc-oscore|oscore-dtls|tls13-mqtt|dtls13-psk|"
              "dtls13-ecdhe");
}

TEST(ScenarioConfig, StructuralErrors)
{
    EXPECT_EQ(ErrorOf("link: 3\n"), "bad.yaml:1: link: is a section; expected keys below it");
    EXPECT_EQ(ErrorOf("link:\n  loss: [1, 2]\n"),
              "bad.yaml:2: link.loss: expected a single value, found a list");
    EXPECT_EQ(ErrorOf("link:\n  loss:\n"), "bad.yaml:2: link.loss: has no value");
    EXPECT_EQ(ErrorOf("link:\n  loss: 0.1\n  loss: 0.2\n"),
              "bad.yaml:3: link.loss: key given twice");
    EXPECT_EQ(ErrorOf("- 1\n- 2\n"), "bad.yaml:1: a scenario must be a mapping of keys to values");
    std::string e = ErrorOf("link: {loss: 0.1\n");
    EXPECT_EQ(e.rfind("bad.yaml:", 0), 0u) << e;
    EXPECT_NE(e.find("not valid YAML"), std::string::npos) << e;
}

TEST(ScenarioConfig, RelationsBetweenKeys)
{
    EXPECT_EQ(ErrorOf("traffic:\n  interval_s: 60\n  jitter_s: 60\n"),
              "bad.yaml:3: traffic.jitter_s: must be smaller than traffic.interval_s (60 s)");
}

TEST(ScenarioConfig, CommandLineOverrides)
{
    ScenarioConfig c;
    c.ApplyOverride("link.loss=0.3");
    EXPECT_DOUBLE_EQ(c.GetReal("link.loss"), 0.3);
    EXPECT_EQ(c.Origin("link.loss"), "--set link.loss=0.3");
    auto error = [&c](const std::string& a)
    {
        try
        {
            c.ApplyOverride(a);
        }
        catch (const ScenarioError& e)
        {
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_EQ(error("link.los=0.3"),
              "--set link.los=0.3: link.los: unknown key (lpwan-run --list-keys lists them all)");
    EXPECT_EQ(error("link.loss"), "--set link.loss: expected key=value");
    EXPECT_EQ(error("link.loss=-1"), "--set link.loss=-1: link.loss: -1 is out of range [0, 1]");
    EXPECT_EQ(error("link.loss="), "--set link.loss=: link.loss: '' is not a number");
}

TEST(ScenarioConfig, KeysTheChosenNetworkIgnoresAreRefused)
{
    // The generic link's loss, delay and rates do nothing on a cell: an error, not a no-op.
    EXPECT_EQ(ErrorOf("link:\n  kind: nbiot\n  loss: 0.2\n"),
              "bad.yaml:3: link.loss: applies to the generic LPWAN link only, not to "
              "link.kind=nbiot (set at bad.yaml:2); a cell's losses come from nbiot.bler and the "
              "coverage level (nbiot.coupling_loss_db, nbiot.cell_radius_m), its delays from the "
              "coverage level (docs/nbiot.md)");
    EXPECT_NE(ErrorOf("link:\n  kind: ltem\n  delay_s: 2\n").find("bad.yaml:3: link.delay_s: "),
              std::string::npos);
    // The keys a cell does use, and the generic link with its own keys, are fine.
    EXPECT_EQ(ErrorOf("link:\n  kind: nbiot\n  mtu: 1000\n  nat_binding_timeout_s: 120\n"), "");
    EXPECT_EQ(ErrorOf("link:\n  kind: lpwan\n  loss: 0.2\n"), "");

    // On the shipped default scenario (an NB-IoT cell) from the command line.
    ScenarioConfig c
        = ScenarioConfig::FromFile(std::string(LPWAN_SOURCE_DIR) + "/scenarios/default.yaml");
    c.ApplyOverride("link.loss=0.3");
    try
    {
        c.ValidateRelations();
        ADD_FAILURE() << "link.loss on the NB-IoT default scenario was accepted";
    }
    catch (const ScenarioError& e)
    {
        EXPECT_EQ(std::string(e.what()).rfind("--set link.loss=0.3: link.loss: applies to the "
                                              "generic LPWAN link only",
                                              0),
                  0u)
            << e.what();
    }
    c.ApplyOverride("link.kind=lpwan");
    EXPECT_NO_THROW(c.ValidateRelations());

    // A topology's edges carry their own kind: link.kind would be silently ignored there.
    EXPECT_EQ(ErrorOf("link:\n  kind: nbiot\ntopology:\n  generator: star\n")
                  .rfind("bad.yaml:2: link.kind: a topology's radio edges carry their own kind", 0),
              0u);
}

TEST(ScenarioConfig, MissingFile)
{
    EXPECT_THROW(ScenarioConfig::FromFile("/nonexistent/x.yaml"), ScenarioError);
}

TEST(ScenarioConfig, ShippedScenariosAreValid)
{
    for (const char* name :
         {"default", "nbiot-ce2-deep-indoor", "nbiot-dense-cell", "water-meters",
          "gas-meters-deep-indoor", "street-lights", "trackers-nat", "exposure", "lpwan-star"})
    {
        std::string path = std::string(LPWAN_SOURCE_DIR) + "/scenarios/" + name + ".yaml";
        ScenarioConfig c = ScenarioConfig::FromFile(path);
        EXPECT_NO_THROW(ValidateScenario(c)) << path;
    }
}

TEST(ScenarioConfig, DocumentationIsTheSchemaAsGenerated)
{
    // docs/scenario-keys.md is `lpwan-run --list-keys-markdown`: every key, and the allowed
    // values and help the schema takes from the profile registry, exactly as the code has them.
    std::ifstream in(std::string(LPWAN_SOURCE_DIR) + "/docs/scenario-keys.md");
    ASSERT_TRUE(in.good()) << "docs/scenario-keys.md is missing";
    std::stringstream ss;
    ss << in.rdbuf();
    std::string doc = ss.str();
    for (const auto& k : GetScenarioSchema())
    {
        EXPECT_NE(doc.find("`" + k.name + "`"), std::string::npos)
            << "docs/scenario-keys.md does not document " << k.name;
    }
    std::string generated;
    FILE* pipe = popen(
        (std::string(LPWAN_BINARY_DIR) + "/bin/lpwan-run --list-keys-markdown").c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;)
    {
        generated.append(buf, n);
    }
    EXPECT_EQ(pclose(pipe), 0);
    EXPECT_EQ(doc, generated) << "regenerate it: build/bin/lpwan-run --list-keys-markdown > "
                                 "docs/scenario-keys.md";
}
