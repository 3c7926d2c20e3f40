/*
 * Test data of RFC 9529 ("Traces of EDHOC"), transcribed as hex:
 *   Trace1 -- section 2: METHOD 0, cipher suite 0, X.509 certificates identified by 'x5t'
 *   Trace2 -- section 3: METHOD 3, cipher suite 2 after negotiation, CCS identified by 'kid'
 *
 * Provenance: the RFC text itself was not reachable from this workplace. The values were
 * transcribed from an EDHOC implementation's test headers that state they are RFC 9529's
 * chapters 2 and 3 (kamil-kielbasa/libedhoc, tests/include/edhoc_trace_{1,2}/), and
 * cross-checked where possible against the published drafts (draft-ietf-lake-traces: message_1,
 * TH_2, PRK_2e, the credentials and keys are identical there) and another implementation's
 * expected values (MAC_2, PRK_2e of trace 1). RFC 9529 includes C_R in context_2 (RFC 9528's
 * final MAC_2), which is where it differs from the January 2024 drafts.
 */
#ifndef LPWAN_TEST_EDHOC_RFC9529_VECTORS_H
#define LPWAN_TEST_EDHOC_RFC9529_VECTORS_H

#include "edhoc-test-util.h"

namespace edhoc_test
{
namespace trace1
{
// ---- message_1
inline const char* kX = "892ec28e5cb6669108470539500b705e60d008d347c5817ee9f3327c8a87bb03";
inline const char* kGX = "31f82c7b5b9cbbf0f194d913cc12ef1532d328ef32632a4881a1c0701e237f04";
inline const char* kCI = "2d";
inline const char* kMessage1
    = "0000582031f82c7b5b9cbbf0f194d913cc12ef1532d328ef32632a4881a1c0701e237f042d";
// ---- message_2
inline const char* kY = "e69c23fbf81bc435942446837fe827bf206c8fa10a39db47449e5a813421e1e8";
inline const char* kGY = "dc88d2d51da5ed67fc4616356bc8ca74ef9ebe8b387e623a360ba480b9b29d1c";
inline const char* kCR = "18";
inline const char* kHashMessage1
    = "c165d6a99d1bcafaac8dbf2b352a6f7d71a30b439c9d64d349a23848038ed16b";
inline const char* kTh2 = "c6405c154c567466ab1df20369500e540e9f14bd3a796a0652cae66c9061688d";
inline const char* kGXY = "e5cdf3a986cdac5b7bf04691e2b07c08e71f53998d8f842b7c3fb4d839cf7b28";
inline const char* kPrk2e = "d584ac2e5dad5a77d14b53ebe72ef1d5daa8860d399373bf2c240afa7ba804da";
inline const char* kSkR = "ef140ff900b0ab03f0c08d879cbbd4b31ea71e6e7ee7ffcb7e7955777a332799";
inline const char* kPkR = "a1db47b95184854ad12a0c1a354e418aace33aa0f2c662c00b3ac55de92f9359";
inline const char* kPrk3e2m = "d584ac2e5dad5a77d14b53ebe72ef1d5daa8860d399373bf2c240afa7ba804da";
inline const char* kIdCredR = "a11822822e4879f2a41b510c1f9b";
/// The Responder's certificate (DER); CRED_R is it as a CBOR byte string.
inline const char* kCertR
    = "3081ee3081a1a003020102020462319ec4300506032b6570301d311b301906035504030c124544484f4320"
      "526f6f742045643235353139301e170d3232303331363038323433365a170d32393132333132333030303"
      "05a30223120301e06035504030c174544484f4320526573706f6e6465722045643235353139302a300506"
      "032b6570032100a1db47b95184854ad12a0c1a354e418aace33aa0f2c662c00b3ac55de92f93593005060"
      "32b6570034100b723bc01eab0928e8b2b6c98de19cc3823d46e7d6987b032478fecfaf14537a1af14cc8b"
      "e829c6b73044101837eb4abc949565d86dce51cfae52ab82c152cb02";
inline const char* kMac2 = "862a7e5ef147f9a5f4c512e1b6623cd66cd17a7272072bfe5b602ffe307ee0e9";
inline const char* kSignatureOrMac2
    = "c3b5bd44d1e44a085c03d3aede4e1e6c11c572a1968cc3629b505f98c681608d3d1de793d1c40eb5dd5d89"
      "acf1966aea07022b48cdc99870ebc40374e8fa6e09";
inline const char* kKeystream2
    = "fd3e7c3f2d6bee643d3c9d2f2847035d73e2ecb0f8db5cd1c6854e24896af21188b2c4344e689ec2984283"
      "d9fbc69ce1c5db10dcfff24df9a49a04a94058277bc7fa9ad6c6b194ab328b445eb080490cd786";
inline const char* kCiphertext2
    = "bc26dd270fe9c02c44ce3934794b1cc62ba22f05459f8d358c8d12275ac42c5f96ded5f13cc9084e5b2018"
      "89a45e5a60a5562dc118619c3daa2fd9f4c9f4d6edad109dd4edf95962aafbaf9ab3f4a1f6b98f";
inline const char* kMessage2
    = "5872dc88d2d51da5ed67fc4616356bc8ca74ef9ebe8b387e623a360ba480b9b29d1cbc26dd270fe9c02c44"
      "ce3934794b1cc62ba22f05459f8d358c8d12275ac42c5f96ded5f13cc9084e5b201889a45e5a60a5562dc1"
      "18619c3daa2fd9f4c9f4d6edad109dd4edf95962aafbaf9ab3f4a1f6b98f";
// ---- message_3
inline const char* kSkI = "4c5b25878f507c6b9dae68fbd4fd3ff997533db0af00b25d324ea28e6c213bc8";
inline const char* kPkI = "ed06a8ae61a829ba5fa54525c9d07f48dd44a302f43e0f23d8cc20b73085141e";
inline const char* kTh3 = "5b7df9b4f58f240ce0418e48191b5fff3a22b5ca57f669b16777996592e928bc";
inline const char* kIdCredI = "a11822822e48c24ab2fd7643c79f";
inline const char* kCertI
    = "3081ee3081a1a003020102020462319ea0300506032b6570301d311b301906035504030c124544484f4320"
      "526f6f742045643235353139301e170d3232303331363038323430305a170d32393132333132333030303"
      "05a30223120301e06035504030c174544484f4320496e69746961746f722045643235353139302a300506"
      "032b6570032100ed06a8ae61a829ba5fa54525c9d07f48dd44a302f43e0f23d8cc20b73085141e3005060"
      "32b6570034100521241d8b3a770996bcfc9b9ead4e7e0a1c0db353a3bdf2910b39275ae48b75601598185"
      "0d27db6734e37f67212267dd05eeff27b9e7a813fa574b72a00b430b";
inline const char* kMac3 = "39b127c130129afa30618c751329e637cc3734270d4b01258445a8ee02daa3bd";
inline const char* kSignatureOrMac3
    = "96e1cd5fceadfac1b5af819443f70924f5719955957fd02655beb4775e1a73186a0d1d3ea683f08f8d03dc"
      "ecb9cf154e1c6f555a1e12ca118ce42bdba6878907";
inline const char* kK3 = "da195e5f648ac63b0e8fb0c455205139";
inline const char* kIv3 = "38d8c64c56255affa449f4bed7";
inline const char* kCiphertext3
    = "25c345884aaaeb22c527f9b1d2b6787207e0163c69b62a0d43928150427203c31674e4514ea6e383b566eb"
      "29763efeb0afa518776ae1c65f856d84bf32af3a7836970466dcb71f76745d39d3025e7703e0c032ebad51"
      "947c";
inline const char* kMessage3
    = "585825c345884aaaeb22c527f9b1d2b6787207e0163c69b62a0d43928150427203c31674e4514ea6e383b5"
      "66eb29763efeb0afa518776ae1c65f856d84bf32af3a7836970466dcb71f76745d39d3025e7703e0c032eb"
      "ad51947c";
inline const char* kTh4 = "0eb868f263cf3555dccd396dd8dec29d3750d599be42d5a41a5a37c896f294ac";
// ---- message_4
inline const char* kK4 = "df8cb5861e1fdfedd3b23015a39d1e2e";
inline const char* kIv4 = "128ec658d970d7380f74fc6c27";
inline const char* kCiphertext4 = "4f0edee366e5c883";
inline const char* kMessage4 = "484f0edee366e5c883";
// ---- PRK_out, PRK_exporter, OSCORE, key update
inline const char* kPrkOut = "b744cb7d8a87cc0447c3350e165b250dab12ec453325abb922b30307e5c368f0";
inline const char* kPrkExporter
    = "2aaec8fc4ab3bc3295def6b551051a2fa561424db301fa84f642f5578a6df51a";
inline const char* kMasterSecret = "1e1c6beac3a8a1cac435de7e2f9ae7ff";
inline const char* kMasterSalt = "ce7ab844c0106d73";
inline const char* kKeyUpdateContext = "d6be169602b8bceaa01158fdb820890c";
inline const char* kPrkOutUpdated
    = "da6eacd9a985f4fba9aec2a9299022976b25b14e89fa159794f28d82faf2daad";
inline const char* kPrkExporterUpdated
    = "0014d2525ee0d8e213ea5908028e9a1ce9a01c30546f0930c044d38db5362c05";
inline const char* kMasterSecretUpdated = "ee0ff542c47eb0e09c69307649bdbbe5";
inline const char* kMasterSaltUpdated = "80cede2a1e5aab48";
} // namespace trace1

namespace trace2
{
// ---- the first message_1 (SUITES_I = 6) is refused with this error
inline const char* kError = "0202";
// ---- message_1 (second time)
inline const char* kX = "368ec1f69aeb659ba37d5a8d45b21bdc0299dceaa8ef235f3ca42ce3530f9525";
inline const char* kGX = "8af6f430ebe18d34184017a9a11bf511c8dff8f834730b96c1b7c8dbca2fc3b6";
inline const char* kCI = "37";
inline const char* kMessage1
    = "0382060258208af6f430ebe18d34184017a9a11bf511c8dff8f834730b96c1b7c8dbca2fc3b637";
// ---- message_2
inline const char* kY = "e2f4126777205e853b437d6eaca1e1f753cdcc3e2c69fa884b0a1a640977e418";
inline const char* kGY = "419701d7f00a26c2dc587a36dd752549f33763c893422c8ea0f955a13a4ff5d5";
inline const char* kCR = "27";
inline const char* kHashMessage1
    = "ca02cabda5a8902749b42f711050bb4dbd52153e87527594b39f50cdf019888c";
inline const char* kTh2 = "356efd53771425e008f3fe3a86c83ff4c6b16e57028ff39d5236c182b202084b";
inline const char* kGXY = "2f0cb7e860ba538fbf5c8bded009f6259b4b628fe1eb7dbe9378e5ecf7a824ba";
inline const char* kPrk2e = "5aa0d69f3e3d1e0c479f0b8a486690c9802630c3466b1dc92371c982563170b5";
inline const char* kSkR = "72cc4761dbd4c78f758931aa589d348d1ef874a7e303ede2f140dcf3e6aa4aac";
inline const char* kPkRx = "bbc34960526ea4d32e940cad2a234148ddc21791a12afbcbac93622046dd44f0";
inline const char* kPkRy = "4519e257236b2a0ce2023f0931f1f386ca7afda64fcde0108c224c51eabf6072";
inline const char* kSalt3e2m = "af4e103a47cb3cf32570d5c25ad27732bd8d8178e9a69d061c31a27f8e3ca926";
inline const char* kGRX = "f2b6eea02220b95eee5a0bc701f074e00a843ea02422f60825fb269b3e161423";
inline const char* kPrk3e2m = "0ca3d3398296b3c03900987620c11f6fce70781c1d1219720f9ec08c122d8434";
inline const char* kIdCredR = "a1044132";
inline const char* kCredR
    = "a2026b6578616d706c652e65647508a101a501020241322001215820bbc34960526ea4d32e940cad2a2341"
      "48ddc21791a12afbcbac93622046dd44f02258204519e257236b2a0ce2023f0931f1f386ca7afda64fcde0"
      "108c224c51eabf6072";
inline const char* kMac2 = "0943305c899f5c54";
inline const char* kPlaintext2 = "2732480943305c899f5c54";
inline const char* kKeystream2 = "bf50e9e7bad0bb68173399";
inline const char* kCiphertext2 = "9862a1eef9e0e7e1886fcd";
inline const char* kMessage2
    = "582b419701d7f00a26c2dc587a36dd752549f33763c893422c8ea0f955a13a4ff5d59862a1eef9e0e7e188"
      "6fcd";
// ---- message_3
inline const char* kSkI = "fb13adeb6518cee5f88417660841142e830a81fe334380a953406a1305e8706b";
inline const char* kPkIx = "ac75e9ece3e50bfc8ed60399889522405c47bf16df96660a41298cb4307f7eb6";
inline const char* kPkIy = "6e5de611388a4b8a8211334ac7d37ecb52a387d257e6db3c2a93df21ff3affc8";
inline const char* kTh3 = "adaf67a78a4bcc91e018f8882762a722000b2507039df0bc1bbf0c161bb3155c";
inline const char* kSalt4e3m = "cfddf9515a7e46e7b4dbff31cbd56cd04ba332250de9ea5de1caf9f6d13914a7";
inline const char* kGIY = "080f425085bc6249089eac8f108ea62326857e12ab07d72028ca1b5f36e004b3";
inline const char* kPrk4e3m = "81cc8a298e357044e3c466bb5c0a1e507e01d49238aeba138df94635407c0ff7";
inline const char* kIdCredI = "a104412b";
inline const char* kCredI
    = "a2027734322d35302d33312d46462d45462d33372d33322d333908a101a5010202412b2001215820ac75e9"
      "ece3e50bfc8ed60399889522405c47bf16df96660a41298cb4307f7eb62258206e5de611388a4b8a821133"
      "4ac7d37ecb52a387d257e6db3c2a93df21ff3affc8";
inline const char* kMac3 = "623c91df41e34c2f";
inline const char* kPlaintext3 = "2b48623c91df41e34c2f";
inline const char* kK3 = "8e7a30042000f7900e8174131f75f3ed";
inline const char* kIv3 = "6d8300c1e23b56153ae70ee457";
inline const char* kCiphertext3 = "e562097bc417dd5919485ac7891ffd90a9fc";
inline const char* kMessage3 = "52e562097bc417dd5919485ac7891ffd90a9fc";
inline const char* kTh4 = "c902b1e3a4326c93c5551f5f3aa6c5ecc0246806765612e52b5d99e6059d6b6e";
// ---- message_4
inline const char* kK4 = "d3c77872b6eeb508911bdbd308b2e6a0";
inline const char* kIv4 = "04ff0f44456e96e217853c3601";
inline const char* kCiphertext4 = "28c966b7ca304f83";
inline const char* kMessage4 = "4828c966b7ca304f83";
// ---- PRK_out, PRK_exporter, OSCORE, key update
inline const char* kPrkOut = "2c71afc1a9338a940bb3529ca734b886f30d1aba0b4dc51beeaeabdfea9ecbf8";
inline const char* kPrkExporter
    = "e14d06699cee248c5a04bf9227bbcd4ce394de7dcb56db43555474171e6446db";
inline const char* kMasterSecret = "f9868f6a3aca78a05d1485b35030b162";
inline const char* kMasterSalt = "ada24c7dbfc85eeb";
inline const char* kKeyUpdateContext = "a01158fdb820890cd6be169602b8bcea";
inline const char* kPrkOutUpdated
    = "f979537743fe0bd6b9b141ddbd79656c52e6dc7c50ad807754d74d07e87d0d16";
inline const char* kPrkExporterUpdated
    = "00fcf7db9b2ead73824e7e830363c805c296f902830fac23d86c359c752f0f17";
inline const char* kMasterSecretUpdated = "49f72fac02b4658bda21e2dac66fc374";
inline const char* kMasterSaltUpdated = "dd8b24f2aa9b011a";
} // namespace trace2
} // namespace edhoc_test

#endif // LPWAN_TEST_EDHOC_RFC9529_VECTORS_H
