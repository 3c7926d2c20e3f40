/*
 * lpwan-mqtt-publish: one MQTT 3.1.1 message to a broker over TCP or TLS 1.2; the project's
 * sans-I/O MQTT client and mbedTLS session on real sockets. `lpwan-mqtt-publish --help`
 * documents it. The logic lives in tools/support/ (PublishOptions, RunPublish).
 */

#include "posix/os-random-source.h"
#include "support/exit-status.h"
#include "support/mqtt-publish.h"
#include "support/publish-options.h"

#include <exception>
#include <iostream>

using namespace lpwan;
using namespace lpwan::tools;

int
main(int argc, char** argv)
{
    const PublishCommandLine cl
        = ParsePublishCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    if (cl.help)
    {
        std::cout << PublishUsage();
        return exit_status::kOk;
    }
    if (!cl.options)
    {
        std::cerr << "lpwan-mqtt-publish: " << cl.error << " (see --help)\n";
        return exit_status::kUsage;
    }
    try
    {
        OsRandomSource random;
        return RunPublish(*cl.options, random, std::cout, std::cerr);
    }
    catch (const std::exception& e)
    {
        std::cerr << "lpwan-mqtt-publish: " << e.what() << "\n";
        return exit_status::kNoAnswer;
    }
}
