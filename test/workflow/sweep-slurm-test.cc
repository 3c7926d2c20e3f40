// ./lpwan sweep --executor slurm (analysis/slurm_executor.py) against a real SLURM: each case
// starts its own single-node cluster on localhost (Debian's munged, slurmctld and slurmd, as
// root, with a generated slurm.conf, state, spool, logs and sockets in a temporary directory,
// on free ports) and stops it again, whatever happens, before the next case. A small sweep
// (2 profiles × 2 seeds of tiny runs) run by the job array gives byte-identical tables to the
// same sweep run by local processes, with every run's completion marker written by its task;
// a failing run is one error naming its run directory and its task's log, and the same
// command then redoes that run only; SIGTERM while waiting cancels the job. Missing packages
// or a test not run as root fail the test (./lpwan test installs the packages; CI is root).
#include "support/free-port.h"
#include "support/temp-dir.h"
#include "workflow-test-util.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <memory>
#include <thread>

using namespace workflow_test;

namespace
{

const std::vector<std::string> kSlurmPrograms
    = {"/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch",
       "/usr/bin/squeue",  "/usr/bin/scancel",    "/usr/bin/sinfo"};

// 2 profiles × 2 seeds of 3 devices for half an hour: a fraction of a second each.
const std::string kSweepYaml
    = "scenario: default\n"
      "grid:\n"
      "  security.profile: [none, oscore]\n"
      "seeds: 2\n";
const int kRuns = 4;

/// Processes whose environment mentions text: a SLURM_CONF of ours reaches the daemons, the
/// slurmstepd processes slurmd starts and every task (sbatch exports the sweep's environment),
/// which command lines alone would not tell from another cluster's.
int
ProcessesWithEnvironment(const std::string& text)
{
    int count = 0;
    for (const auto& e : fs::directory_iterator("/proc"))
    {
        const std::string pid = e.path().filename().string();
        if (pid.find_first_not_of("0123456789") == std::string::npos
            && pid != std::to_string(getpid())
            && ReadText(e.path().string() + "/environ").find(text) != std::string::npos)
        {
            ++count;
        }
    }
    return count;
}

std::string
ShortHostname()
{
    char name[256] = {};
    gethostname(name, sizeof(name) - 1);
    const std::string host(name);
    return host.substr(0, host.find('.'));
}

/// A single-node SLURM cluster of this machine, stopped (jobs cancelled, then slurmd,
/// slurmctld and munged ended) by Stop() or the destructor.
class LocalSlurm
{
  public:
    LocalSlurm()
      : m_dir("lpwan-slurm") // short: munge's and slurmd's Unix socket paths live here
    {
    }

    ~LocalSlurm()
    {
        Stop();
    }

    LocalSlurm(const LocalSlurm&) = delete;
    LocalSlurm& operator=(const LocalSlurm&) = delete;

    const std::string& Dir() const
    {
        return m_dir.Path();
    }

    std::string Conf() const
    {
        return m_dir.File("slurm.conf");
    }

    /// "" once the node is idle, else what went wrong with every daemon's log.
    std::string Start()
    {
        const std::string key = m_dir.File("munge.key");
        std::ifstream random("/dev/urandom", std::ios::binary);
        std::string bytes(1024, '\0');
        random.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        WriteText(key, bytes);
        chmod(key.c_str(), 0400);
        const std::string socket = m_dir.File("munge.socket");
        Launch("munged", {"/usr/sbin/munged", "--foreground", "--force", "--key-file=" + key,
                          "--socket=" + socket, "--pid-file=" + m_dir.File("munged.pid"),
                          "--log-file=" + m_dir.File("munged.log"),
                          "--seed-file=" + m_dir.File("munged.seed")});
        const auto socketExists = [&]
        {
            return fs::exists(socket);
        };
        if (!WaitFor(socketExists, 10))
        {
            return "munged did not create its socket within 10 s\n" + Logs();
        }

        const auto ports = lpwantest::FreePorts(2, 17);
        if (!ports)
        {
            return "no two free consecutive ports for slurmctld and slurmd";
        }
        const std::string host = ShortHostname();
        const long memoryMb = sysconf(_SC_PHYS_PAGES) / 1024 * sysconf(_SC_PAGE_SIZE) / 1024;
        fs::create_directories(m_dir.File("state"));
        fs::create_directories(m_dir.File("spool"));
        // batch_sched_delay=0: an array task starts as soon as a CPU is free instead of at
        // the next 3 s scheduling pass (a test-latency choice, nothing else depends on it).
        const std::string cpus = std::to_string(sysconf(_SC_NPROCESSORS_ONLN));
        const std::vector<std::string> conf
            = {"ClusterName=lpwantest",
               "SlurmctldHost=" + host + "(127.0.0.1)",
               "SlurmctldPort=" + std::to_string(*ports),
               "SlurmdPort=" + std::to_string(*ports + 1),
               "AuthType=auth/munge",
               "AuthInfo=socket=" + socket,
               "CredType=cred/munge",
               "ProctrackType=proctrack/linuxproc",
               "TaskPlugin=task/none",
               "SelectType=select/cons_tres",
               "SelectTypeParameters=CR_Core",
               "SchedulerType=sched/builtin",
               "SchedulerParameters=batch_sched_delay=0,sched_min_interval=0",
               "SlurmUser=root",
               "SlurmdUser=root",
               "MpiDefault=none",
               "MailProg=/bin/true",
               "ReturnToService=2",
               "JobAcctGatherType=jobacct_gather/none",
               "AccountingStorageType=accounting_storage/none",
               "StateSaveLocation=" + m_dir.File("state"),
               "SlurmdSpoolDir=" + m_dir.File("spool"),
               "SlurmctldPidFile=" + m_dir.File("slurmctld.pid"),
               "SlurmdPidFile=" + m_dir.File("slurmd.pid"),
               "SlurmctldLogFile=" + m_dir.File("slurmctld.log"),
               "SlurmdLogFile=" + m_dir.File("slurmd.log"),
               "NodeName=" + host + " NodeAddr=127.0.0.1 CPUs=" + cpus
                   + " RealMemory=" + std::to_string(memoryMb / 2) + " State=UNKNOWN",
               "PartitionName=test Nodes=" + host + " Default=YES MaxTime=INFINITE State=UP"};
        std::string text;
        for (const auto& line : conf)
        {
            text += line + "\n";
        }
        WriteText(Conf(), text);
        Launch("slurmctld", {"/usr/bin/env", "SLURM_CONF=" + Conf(), "/usr/sbin/slurmctld", "-D",
                             "-i", "-f", Conf()});
        Launch("slurmd", {"/usr/bin/env", "SLURM_CONF=" + Conf(), "/usr/sbin/slurmd", "-D", "-f",
                          Conf(), "-N", host});
        std::string state;
        const auto nodeIdle = [&]
        {
            state = Client("/usr/bin/sinfo", {"-h", "-N", "-o", "%T"}).out;
            return state == "idle\n";
        };
        if (!WaitFor(nodeIdle, 30))
        {
            return "the node is not idle 30 s after starting slurmctld and slurmd (sinfo: '" + state
                   + "')\n" + Logs();
        }
        return "";
    }

    /// A SLURM client command (sinfo, squeue, scancel...) of this cluster.
    Finished Client(const std::string& program, const std::vector<std::string>& args) const
    {
        std::vector<std::string> all{"SLURM_CONF=" + Conf(), program};
        all.insert(all.end(), args.begin(), args.end());
        return RunProgram("/usr/bin/env", all, m_dir.File("client"), 30);
    }

    /// Cancels every job, waits until the queue is empty, then ends the daemons (SIGTERM,
    /// SIGKILL after 10 s), slurmd first, and waits (10 s at most) until no process of the
    /// cluster is left. Idempotent.
    void Stop()
    {
        if (m_daemons.empty())
        {
            return;
        }
        if (m_daemons.size() == 3)
        {
            Client("/usr/bin/scancel", {"-u", "root"});
            const auto queueEmpty = [&]
            {
                return Client("/usr/bin/squeue", {"-h"}).out.empty();
            };
            WaitFor(queueEmpty, 20);
        }
        while (!m_daemons.empty())
        {
            m_daemons.back()->Signal(SIGTERM);
            m_daemons.back()->Wait(10);
            m_daemons.pop_back();
        }
        WaitFor(
            [&]
            {
                return ProcessesWithEnvironment(Conf()) == 0;
            },
            10);
    }

    /// The daemons' logs and their own output, for a failure message.
    std::string Logs() const
    {
        std::string text;
        for (const std::string name : {"munged.log", "munged.err", "slurmctld.log", "slurmctld.err",
                                       "slurmd.log", "slurmd.err"})
        {
            text += "---- " + name + "\n" + ReadText(m_dir.File(name));
        }
        return text;
    }

  private:
    void Launch(const std::string& name, const std::vector<std::string>& argv)
    {
        const std::vector<std::string> args(argv.begin() + 1, argv.end());
        m_daemons.push_back(
            std::make_unique<interop_test::ChildProcess>(argv[0], args, m_dir.File(name)));
    }

    template<typename Condition>
    static bool WaitFor(Condition condition, double timeoutS)
    {
        const auto deadline
            = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeoutS);
        while (!condition())
        {
            if (std::chrono::steady_clock::now() >= deadline)
            {
                return false;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return true;
    }

    lpwantest::TempDir m_dir;
    std::vector<std::unique_ptr<interop_test::ChildProcess>> m_daemons; // munged, ctld, slurmd
};

/// Every case: a cluster of its own, up before the case and gone after it.
class SweepSlurm : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        ASSERT_EQ(geteuid(), 0u) << "this test starts slurmctld, slurmd and munged as root "
                                    "(SlurmUser=root): run it as root, as CI does";
        for (const auto& program : kSlurmPrograms)
        {
            ASSERT_TRUE(fs::exists(program))
                << program << " is missing: install slurmctld slurmd slurm-client munge "
                << "(./lpwan test installs them, TEST_PACKAGES)";
        }
        const std::string problem = m_slurm.Start();
        ASSERT_EQ(problem, "") << "the single-node SLURM cluster did not start";
    }

    void TearDown() override
    {
        m_slurm.Stop();
        EXPECT_EQ(ProcessesMentioning(m_slurm.Dir()), 0) << "a SLURM daemon outlived the test";
        EXPECT_EQ(ProcessesWithEnvironment(m_slurm.Conf()), 0)
            << "a process of the cluster (slurmstepd, a task) outlived the test";
    }

    /// sweep.py with this cluster's SLURM_CONF, the sweep file in dir, tiny runs.
    Finished Sweep(const ScratchDir& dir, const std::string& out, const std::string& runner,
                   const std::vector<std::string>& extra, const std::string& name)
    {
        std::vector<std::string> args{"SLURM_CONF=" + m_slurm.Conf(),
                                      kPython,
                                      SourcePath("analysis/sweep.py"),
                                      dir / "tiny.yaml",
                                      "--out",
                                      out,
                                      "--lpwan-run",
                                      runner,
                                      "--set",
                                      "devices.count=3",
                                      "--set",
                                      "simulation.duration_s=1800"};
        args.insert(args.end(), extra.begin(), extra.end());
        return RunProgram("/usr/bin/env", args, dir / name, 120);
    }

    LocalSlurm m_slurm;
};

const std::vector<std::string> kOnSlurm = {"--executor", "slurm", "--slurm-poll-s", "0.2"};

/// lpwan-run behind a script that logs each run it is asked for and fails the oscore seed-2
/// run while the file failFlag exists (lpwan-run --list-keys and --check pass through).
std::string
WrappedRunner(const ScratchDir& dir, const std::string& log, const std::string& failFlag)
{
    const std::string path = dir / "lpwan-run-wrapped";
    WriteText(path, "#!/bin/sh\n"
                    "case \" $* \" in *\" --out \"*) echo \"$*\" >> "
                        + Quote(log) + " ;; esac\n"
                        + "case \" $* \" in *security.profile=oscore*\" --seed 2 \"*)\n"
                          "  if [ -e "
                        + Quote(failFlag)
                        + " ]; then echo 'injected failure' >&2; exit 1; fi ;;\nesac\nexec "
                        + Quote(Runner()) + " \"$@\"\n");
    fs::permissions(path, fs::perms::owner_all);
    return path;
}

int
CountSubstring(const std::string& text, const std::string& needle)
{
    int n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    {
        ++n;
    }
    return n;
}

/// The SLURM job id the sweep printed ("submitted SLURM job N: ..."), or "".
std::string
SubmittedJob(const std::string& err)
{
    const std::string tag = "submitted SLURM job ";
    const size_t at = err.find(tag);
    if (at == std::string::npos)
    {
        return "";
    }
    const size_t begin = at + tag.size();
    return err.substr(begin, err.find(':', begin) - begin);
}

nlohmann::json
Marker(const std::string& runDir)
{
    return nlohmann::json::parse(ReadText(runDir + "/complete.json"));
}

} // namespace

TEST_F(SweepSlurm, JobArrayGivesTheLocalExecutorsTables)
{
    ScratchDir dir("sweep-slurm-tables");
    WriteText(dir / "tiny.yaml", kSweepYaml);
    const std::string local = dir / "local";
    const std::string slurm = dir / "slurm";

    const Finished l = Sweep(dir, local, Runner(), {"--jobs", "2"}, "local");
    ASSERT_EQ(l.status, 0) << l.err;
    const Finished s = Sweep(dir, slurm, Runner(), kOnSlurm, "slurm");
    ASSERT_EQ(s.status, 0) << s.err << m_slurm.Logs();

    for (const std::string table : {"runs.csv", "points.csv"})
    {
        EXPECT_FALSE(ReadText(local + "/" + table).empty()) << table;
        EXPECT_EQ(ReadText(slurm + "/" + table), ReadText(local + "/" + table)) << table;
    }
    EXPECT_EQ(ReadCsv(slurm + "/runs.csv").size(), static_cast<size_t>(kRuns));
    EXPECT_EQ(s.out, l.out) << "the points table printed differs";

    // The array ran the runs: one task each, and each task's log says so.
    const std::string job = SubmittedJob(s.err);
    ASSERT_FALSE(job.empty()) << s.err;
    EXPECT_NE(s.err.find("submitted SLURM job " + job + ": 4 array tasks of 1 run each"),
              std::string::npos)
        << s.err;
    EXPECT_EQ(ReadText(slurm + "/slurm/job-id"), job + "\n");
    EXPECT_TRUE(fs::exists(slurm + "/slurm/task.sh"));
    EXPECT_TRUE(m_slurm.Client("/usr/bin/squeue", {"-h", "-j", job}).out.empty())
        << "the sweep returned before its job left the queue";
    std::string taskLogs;
    for (int task = 0; task < kRuns; ++task)
    {
        const std::string log = slurm + "/slurm/task-" + job + "_" + std::to_string(task) + ".log";
        ASSERT_TRUE(fs::exists(log)) << log;
        EXPECT_EQ(CountSubstring(ReadText(log), "lpwan sweep task: finished "), 1) << log;
        taskLogs += ReadText(log);
    }

    // Every run has its marker, written by its task: same settings hash and the same lpwan-run
    // command line as the local executor's (but for the sweep directory).
    const auto markers = FindFiles(slurm + "/runs", "complete.json");
    ASSERT_EQ(markers.size(), static_cast<size_t>(kRuns));
    for (const auto& marker : markers)
    {
        const std::string runDir = fs::path(marker).parent_path().string();
        const std::string inSweep = fs::relative(runDir, slurm).string();
        EXPECT_NE(taskLogs.find(" in " + runDir + "\n"), std::string::npos) << runDir;
        const nlohmann::json bySlurm = Marker(runDir);
        const nlohmann::json byLocal = Marker(local + "/" + inSweep);
        EXPECT_EQ(bySlurm.at("run_hash"), byLocal.at("run_hash")) << inSweep;
        std::string slurmCommand = bySlurm.at("command").dump();
        const std::string localCommand = byLocal.at("command").dump();
        ASSERT_NE(slurmCommand.find(runDir), std::string::npos) << slurmCommand;
        slurmCommand.replace(slurmCommand.find(runDir), runDir.size(), local + "/" + inSweep);
        EXPECT_EQ(slurmCommand, localCommand);
    }

    // Two runs per task, one task at a time: the same tables again.
    const std::string chunked = dir / "chunked";
    const Finished c = Sweep(dir, chunked, Runner(),
                             {"--executor", "slurm", "--slurm-poll-s", "0.2",
                              "--slurm-runs-per-task", "2", "--slurm-max-parallel", "1"},
                             "chunked");
    ASSERT_EQ(c.status, 0) << c.err << m_slurm.Logs();
    EXPECT_NE(c.err.find(": 2 array tasks of 2 runs each"), std::string::npos) << c.err;
    EXPECT_NE(ReadText(chunked + "/slurm/task.sh").find(" --array=0-1%1 "), std::string::npos)
        << ReadText(chunked + "/slurm/task.sh");
    for (const std::string table : {"runs.csv", "points.csv"})
    {
        EXPECT_EQ(ReadText(chunked + "/" + table), ReadText(local + "/" + table)) << table;
    }
}

TEST_F(SweepSlurm, FailedRunNamesItsDirAndTaskLogThenTheSameCommandRedoesOnlyIt)
{
    ScratchDir dir("sweep-slurm-failure");
    WriteText(dir / "tiny.yaml", kSweepYaml);
    const std::string log = dir / "invocations.log";
    const std::string flag = dir / "fail";
    WriteText(flag, "");
    const std::string runner = WrappedRunner(dir, log, flag);
    const std::string out = dir / "sweep";
    const std::string failing = out + "/runs/security.profile=oscore/seed-2";

    // An sbatch option reaches sbatch; sbatch refusing the job is one error, and nothing ran.
    std::vector<std::string> badPartition = kOnSlurm;
    badPartition.push_back("--slurm-option=--partition=no-such-partition");
    const Finished refused = Sweep(dir, out, runner, badPartition, "refused");
    EXPECT_EQ(refused.status, 1) << refused.err;
    EXPECT_NE(refused.err.find("lpwan sweep: sbatch failed (exit 1): sbatch: error: "),
              std::string::npos)
        << refused.err;
    EXPECT_NE(refused.err.find("no-such-partition"), std::string::npos) << refused.err;
    EXPECT_TRUE(FindFiles(out + "/runs", "lpwan-run.log").empty()) << "a run ran";
    EXPECT_FALSE(fs::exists(log)) << "a run ran";

    const Finished first = Sweep(dir, out, runner, kOnSlurm, "first");
    ASSERT_EQ(first.status, 1) << first.err << m_slurm.Logs();
    const std::string job = SubmittedJob(first.err);
    ASSERT_FALSE(job.empty()) << first.err;
    // One error line: the task, its log file and the run directory.
    std::string errorLine;
    for (const auto& line : Lines(first.err))
    {
        if (line.find("FAILED") != std::string::npos)
        {
            EXPECT_TRUE(errorLine.empty()) << "a second error line: " << line;
            errorLine = line;
        }
    }
    const std::string taskLog = out + "/slurm/task-" + job + "_3.log";
    EXPECT_NE(errorLine.find("SLURM task 3 of job " + job), std::string::npos) << first.err;
    EXPECT_NE(errorLine.find(taskLog), std::string::npos) << first.err;
    EXPECT_NE(errorLine.find(failing), std::string::npos) << first.err;
    EXPECT_NE(ReadText(taskLog).find("FAILED (exit 1)"), std::string::npos) << ReadText(taskLog);
    EXPECT_NE(ReadText(failing + "/lpwan-run.log").find("injected failure"), std::string::npos);
    EXPECT_FALSE(fs::exists(failing + "/complete.json"));
    EXPECT_EQ(FindFiles(out + "/runs", "complete.json").size(), static_cast<size_t>(kRuns - 1));
    EXPECT_EQ(ReadCsv(out + "/runs.csv").size(), static_cast<size_t>(kRuns - 1))
        << "the tables hold the runs that finished";

    // The same command, once the cause is gone, runs the failed run alone.
    fs::remove(flag);
    const size_t ranBefore = Lines(ReadText(log)).size();
    EXPECT_EQ(ranBefore, static_cast<size_t>(kRuns));
    const Finished again = Sweep(dir, out, runner, kOnSlurm, "again");
    ASSERT_EQ(again.status, 0) << again.err << m_slurm.Logs();
    EXPECT_NE(again.err.find("3 of 4 runs already finished"), std::string::npos) << again.err;
    EXPECT_NE(again.err.find(": 1 array task of 1 run each"), std::string::npos) << again.err;
    const auto ran = Lines(ReadText(log));
    ASSERT_EQ(ran.size(), ranBefore + 1);
    EXPECT_NE(ran.back().find("--out " + failing + " "), std::string::npos) << ran.back();
    EXPECT_EQ(FindFiles(out + "/runs", "complete.json").size(), static_cast<size_t>(kRuns));
    EXPECT_EQ(ReadCsv(out + "/runs.csv").size(), static_cast<size_t>(kRuns));
}

TEST_F(SweepSlurm, SigtermWhileWaitingCancelsTheJob)
{
    ScratchDir dir("sweep-slurm-sigterm");
    WriteText(dir / "tiny.yaml", kSweepYaml);
    const std::string runner = dir / "lpwan-run-slow";
    WriteText(runner, "#!/bin/sh\ncase \" $* \" in *\" --out \"*) sleep 60 ;; esac\nexec "
                          + Quote(Runner()) + " \"$@\"\n");
    fs::permissions(runner, fs::perms::owner_all);
    const std::string out = dir / "sweep";
    std::vector<std::string> args{"SLURM_CONF=" + m_slurm.Conf(),
                                  kPython,
                                  SourcePath("analysis/sweep.py"),
                                  dir / "tiny.yaml",
                                  "--out",
                                  out,
                                  "--lpwan-run",
                                  runner};
    args.insert(args.end(), kOnSlurm.begin(), kOnSlurm.end());
    interop_test::ChildProcess sweep("/usr/bin/env", args, dir / "sweep");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (ProcessesMentioning(out + "/runs/") == 0 && std::chrono::steady_clock::now() < deadline)
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_GT(ProcessesMentioning(out + "/runs/"), 0) << "no task started\n" << sweep.Stderr();
    const std::string job = SubmittedJob(sweep.Stderr());
    ASSERT_FALSE(job.empty()) << sweep.Stderr();

    sweep.Signal(SIGTERM);
    EXPECT_EQ(sweep.Wait(60).value_or(-1), 128 + SIGTERM) << sweep.Stderr();
    const std::string err = sweep.Stderr();
    EXPECT_NE(err.find("cancelling SLURM job " + job + " (scancel " + job + ")"), std::string::npos)
        << err;
    EXPECT_NE(err.find("SLURM job " + job + " cancelled"), std::string::npos) << err;
    EXPECT_NE(err.find("interrupted (SIGTERM)"), std::string::npos) << err;
    EXPECT_TRUE(m_slurm.Client("/usr/bin/squeue", {"-h", "-j", job}).out.empty());
    for (int i = 0; i < 50 && ProcessesMentioning(out + "/runs/") > 0; ++i)
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(ProcessesMentioning(out + "/runs/"), 0) << "a run outlived the cancelled job";
    EXPECT_TRUE(FindFiles(out + "/runs", "complete.json").empty());
}

TEST(SweepSlurmCommands, WithoutSbatchOnPathOneErrorBeforeAnyRun)
{
    ScratchDir dir("sweep-slurm-no-sbatch");
    WriteText(dir / "tiny.yaml", kSweepYaml);
    const std::string out = dir / "sweep";
    const Finished f = RunProgram("/usr/bin/env",
                                  {"PATH=" + dir.Path(), kPython, SourcePath("analysis/sweep.py"),
                                   dir / "tiny.yaml", "--out", out, "--lpwan-run", Runner(),
                                   "--executor", "slurm"},
                                  dir / "sweep");
    EXPECT_EQ(f.status, 1);
    ASSERT_EQ(Lines(f.err).size(), 1u) << f.err;
    EXPECT_NE(f.err.find("--executor slurm: sbatch, squeue, scancel not on PATH"),
              std::string::npos)
        << f.err;
    EXPECT_FALSE(fs::exists(out)) << "something ran";
}
