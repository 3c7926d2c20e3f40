/*
 * lpwan-tls13: one TLS 1.3 connection over TCP, as client or server, on the project's own
 * sans-I/O TLS 1.3 core (protocols/tls13/); what the interop tests run against OpenSSL.
 * `lpwan-tls13 --help` documents it. The logic lives in tools/support/ (Tls13ToolOptions,
 * RunTls13).
 */

#include "posix/os-random-source.h"
#include "support/exit-status.h"
#include "support/tls13-options.h"
#include "support/tls13-tool.h"

#include <exception>
#include <fstream>
#include <iostream>
#include <memory>

using namespace lpwan;
using namespace lpwan::tools;

int
main(int argc, char** argv)
{
    const Tls13CommandLine cl
        = ParseTls13CommandLine(std::vector<std::string>(argv + 1, argv + argc));
    if (cl.help)
    {
        std::cout << Tls13Usage();
        return exit_status::kOk;
    }
    if (!cl.options)
    {
        std::cerr << "lpwan-tls13: " << cl.error << " (see --help)\n";
        return exit_status::kUsage;
    }
    Tls13ToolOptions options = *cl.options;
    if (!options.keyLogFile.empty())
    {
        // Appended, as OpenSSL's -keylogfile and SSLKEYLOGFILE are, so that one file can
        // collect the sessions of several runs.
        auto file = std::make_shared<std::ofstream>(options.keyLogFile, std::ios::app);
        if (!*file)
        {
            std::cerr << "lpwan-tls13: --keylog: cannot write " << options.keyLogFile << "\n";
            return exit_status::kUsage;
        }
        auto sink = [file](const std::string& line)
        {
            *file << line << std::flush;
        };
        options.clientConfig.keyLog = sink;
        options.serverConfig.keyLog = sink;
    }
    try
    {
        OsRandomSource random;
        return RunTls13(options, random, std::cout, std::cerr);
    }
    catch (const std::exception& e)
    {
        std::cerr << "lpwan-tls13: " << e.what() << "\n";
        return exit_status::kNoAnswer;
    }
}
