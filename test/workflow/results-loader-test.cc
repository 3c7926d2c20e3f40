// The results as data: analysis/ imported as a package loads a sweep into one tidy table (one
// row per run, numbers as numbers, absolute run directories), its runs' messages join to it by
// point and seed, and the example notebook (examples/load-sweep.ipynb) runs headless under
// Debian's nbconvert on a sweep made here and draws its figure.
#include "workflow-test-util.h"

#include <gtest/gtest.h>

using namespace workflow_test;

namespace
{

const char* kSweep
    = "scenario: lpwan-star\n"
      "set:\n"
      "  devices.count: 3\n"
      "  simulation.duration_s: 3600\n"
      "grid:\n"
      "  security.profile: [none, oscore]\n"
      "  link.loss: [0.0, 0.2]\n"
      "seeds: 2\n";

/// A sweep of kSweep in dir/sweep (8 runs of a few seconds).
std::string
MakeSweep(const ScratchDir& dir)
{
    Finished s;
    const std::string sweep = RunSweepText(dir.Path(), "sweep", kSweep, &s);
    EXPECT_EQ(s.status, 0) << s.err;
    return sweep;
}

} // namespace

TEST(WorkflowResults, LoadSweepIsOneTidyTableJoinableWithItsMessages)
{
    ScratchDir dir("results-loader");
    const std::string sweep = MakeSweep(dir);
    // From another directory, through the package, as a user's script would.
    const std::string script = R"(
import os, sys
sys.path.insert(0, sys.argv[1])
from analysis import RUN_KEYS, load_run, load_sweep, sweep_energy, sweep_messages
from pandas.api.types import is_integer_dtype, is_float_dtype, is_string_dtype
runs = load_sweep(sys.argv[2])
assert len(runs) == 8, len(runs)
assert runs.attrs["varied"] == ["security.profile", "link.loss"], runs.attrs
assert not runs.duplicated(RUN_KEYS).any()
for d in runs["run_dir"]:
    assert os.path.isabs(d) and os.path.isfile(os.path.join(d, "summary.json")), d
for c in ["messages.sent", "messages.delivered", "retransmissions.total"]:
    assert is_integer_dtype(runs[c]), (c, runs[c].dtype)
for c in ["latency_s.p95", "bytes.on_air_per_delivered_message", "link.loss"]:
    assert is_float_dtype(runs[c]), (c, runs[c].dtype)
m = sweep_messages(sys.argv[2])
assert is_string_dtype(m["response_code"]), m["response_code"].dtype
assert set(m["response_code"].dropna()) == {"2.04"}, set(m["response_code"].dropna())
j = m.merge(runs, on=RUN_KEYS, suffixes=("", ".run"), validate="many_to_one")
assert len(j) == len(m)
sent = m.groupby(RUN_KEYS).size().rename("n").reset_index().merge(runs, on=RUN_KEYS)
assert (sent["n"] == sent["messages.sent"]).all(), sent[["n", "messages.sent"]]
assert sweep_energy(sys.argv[2]) is None  # the generic link has no energy model
one = load_run(runs["run_dir"][0])
assert one.summary["messages.sent"] == runs["messages.sent"][0]
assert len(one.messages) == runs["messages.sent"][0]
assert one.parameters["security.profile"] == runs["security.profile"][0]
print("ok")
)";
    const Finished f = Shell("cd / && " + Quote(kPython) + " -c " + Quote(script) + " "
                                 + Quote(LPWAN_SOURCE_DIR) + " " + Quote(sweep),
                             dir / "load");
    EXPECT_EQ(f.status, 0) << f.err;
    EXPECT_EQ(f.out, "ok\n");
}

TEST(WorkflowResults, NotebookRunsHeadlessOnASweep)
{
    ScratchDir dir("results-notebook");
    const std::string sweep = MakeSweep(dir);
    const std::string executed = dir / "executed.ipynb";
    const Finished f
        = Shell("cd " + Quote(SourcePath("examples")) + " && LPWAN_SWEEP_DIR=" + Quote(sweep)
                    + " LPWAN_SOURCE_DIR=" + Quote(LPWAN_SOURCE_DIR)
                    + " PYDEVD_DISABLE_FILE_VALIDATION=1 jupyter-nbconvert --to"
                    + " notebook --execute load-sweep.ipynb --output " + Quote(executed),
                dir / "nbconvert", 300);
    ASSERT_EQ(f.status, 0) << f.err;
    const std::string out = ReadText(executed);
    EXPECT_NE(out.find("8 runs, swept keys: security.profile, link.loss"), std::string::npos);
    EXPECT_NE(out.find("response codes: 2.04"), std::string::npos);
    EXPECT_EQ(out.find("\"output_type\": \"error\""), std::string::npos);
    const std::string png = ReadText(sweep + "/notebook-bytes.png");
    EXPECT_GT(png.size(), 1000u);
    EXPECT_EQ(png.compare(0, 8, "\x89PNG\r\n\x1a\n"), 0);
}
