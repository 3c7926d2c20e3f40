/*
 * lpwan-test-pki: writes a fresh test PKI (lpwan::tls::GenerateTestPki: an ECDSA P-256 CA and a
 * server and a client certificate it signed, valid 2025-2035) as PEM files into a directory,
 * for the DTLS/TLS flags of the real-socket tools and for libcoap and mosquitto in interop
 * tests. The keys come from the operating system's randomness. Test use only.
 */

#include "posix/os-random-source.h"
#include "protocols/tls/test-pki.h"
#include "support/exit-status.h"
#include "support/test-pki-files.h"

#include <boost/program_options.hpp>

#include <exception>
#include <filesystem>
#include <iostream>
#include <optional>

using namespace lpwan;
using namespace lpwan::tools;

namespace
{

const char* kUsage
    = "Usage: lpwan-test-pki [--server-cn NAME] [--client-cn NAME] DIRECTORY\n"
      "\n"
      "Writes a test PKI as PEM files into DIRECTORY (made if missing):\n"
      "  ca-cert.pem, ca-key.pem          a self-signed ECDSA P-256 CA\n"
      "  server-cert.pem, server-key.pem  CN=server.lpwan.test (or --server-cn), signed by the CA\n"
      "  client-cert.pem, client-key.pem  CN=device-0001 (or --client-cn), signed by the CA\n"
      "Keys are SEC1 'EC PRIVATE KEY' PEM, unencrypted, readable by their owner only. The\n"
      "certificates carry no subjectAltName: peers match names against the CN. For tests only.\n"
      "\n"
      "Example (DTLS with certificates against libcoap):\n"
      "  lpwan-test-pki /tmp/pki\n"
      "  coap-server-openssl -A 127.0.0.1 -c /tmp/pki/server-cert.pem -j /tmp/pki/server-key.pem "
      "\\\n"
      "      -C /tmp/pki/ca-cert.pem\n"
      "  lpwan-coap-client --dtls-ca /tmp/pki/ca-cert.pem --dtls-cert /tmp/pki/client-cert.pem \\\n"
      "      --dtls-key /tmp/pki/client-key.pem coaps://127.0.0.1/time\n"
      "\n"
      "Exit status: 0 when written; 2 for a bad command line; 3 when a file cannot be written.\n";

int
Error(int status, const std::string& message)
{
    std::cerr << "lpwan-test-pki: " << message << "\n";
    return status;
}

} // namespace

int
main(int argc, char** argv)
{
    namespace po = boost::program_options;
    lpwan::tls::PkiOptions options;
    std::optional<std::string> directory;
    std::string error;
    po::options_description described;
    // clang-format off
    described.add_options()
        ("help,h", "")
        ("server-cn", po::value<std::string>(), "")
        ("client-cn", po::value<std::string>(), "")
        ("directory", po::value<std::vector<std::string>>(), "");
    // clang-format on
    po::positional_options_description positional;
    positional.add("directory", -1);
    po::parsed_options parsed(&described);
    try
    {
        parsed = po::command_line_parser(argc, argv)
                     .options(described)
                     .positional(positional)
                     .style(po::command_line_style::default_style
                            & ~po::command_line_style::allow_guessing)
                     .run();
    }
    catch (const po::unknown_option& e)
    {
        return Error(exit_status::kUsage,
                     "unknown option '" + e.get_option_name() + "' (see --help)");
    }
    catch (const po::error& e)
    {
        const auto* syntax = dynamic_cast<const po::invalid_command_line_syntax*>(&e);
        if (syntax != nullptr && syntax->kind() == po::invalid_syntax::missing_parameter)
        {
            return Error(exit_status::kUsage,
                         syntax->get_option_name() + " needs a value (see --help)");
        }
        return Error(exit_status::kUsage, std::string(e.what()) + " (see --help)");
    }
    // Taken in the order given: --help acts where it stands, a later CN replaces an earlier.
    for (const po::option& o : parsed.options)
    {
        const std::string value = o.value.empty() ? std::string() : o.value.front();
        if (o.string_key == "help")
        {
            std::cout << kUsage;
            return exit_status::kOk;
        }
        if (o.string_key == "directory")
        {
            if (directory)
            {
                return Error(exit_status::kUsage, "only one directory (see --help)");
            }
            directory = value;
            continue;
        }
        const std::string arg = "--" + o.string_key;
        // The subject is written as an X.509 name: the CN must not add further attributes.
        if (value.empty() || value.find_first_of(",=\\") != std::string::npos)
        {
            return Error(exit_status::kUsage, arg + ": a plain name without ',', '=' or '\\'");
        }
        (arg == "--server-cn" ? options.serverSubject : options.clientSubject)
            = "CN=" + value + ",O=lpwan-sec";
    }
    if (!directory)
    {
        return Error(exit_status::kUsage, "missing the DIRECTORY (see --help)");
    }
    try
    {
        // As mkdir -p would: a user names where the files go, not a directory made first.
        std::error_code ec;
        std::filesystem::create_directories(*directory, ec);
        if (ec)
        {
            return Error(exit_status::kNoAnswer,
                         "cannot create the directory '" + *directory + "': " + ec.message());
        }
        OsRandomSource random;
        const lpwan::tls::TestPki pki = lpwan::tls::GenerateTestPki(random, options);
        if (!WriteTestPkiFiles(pki, *directory, &error))
        {
            return Error(exit_status::kNoAnswer, error);
        }
    }
    catch (const std::exception& e)
    {
        return Error(exit_status::kNoAnswer, e.what());
    }
    return exit_status::kOk;
}
