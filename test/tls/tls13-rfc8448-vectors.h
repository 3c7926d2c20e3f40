/*
 * RFC 8448 ("Example Handshake Traces for TLS 1.3") section 3, "Simple 1-RTT Handshake", and
 * the server's RSA key of section 2: the published values, as hex.
 *
 * Where each block was read: the RSA key components from section 2 of the draft the RFC was
 * published from (draft-ietf-tls-tls13-vectors, whose section 2 key and certificate the RFC
 * keeps); the handshake messages, randoms, ephemeral keys, secrets, keys and IVs of
 * section 3 as quoted (with their RFC labels) by several independent test suites that
 * reproduce the RFC (Bouncy Castle's TlsCryptoTest, s2n-tls's RFC 8448 tests, Erlang/OTP's
 * ssl suite); the complete protected records of section 3 from Botan's RFC 8448 transcript
 * file (src/tests/data/tls_13_rfc8448/transcripts.vec, section [Simple_1RTT_Handshake]),
 * which lists the RFC's "complete record" values. Each is checked below against values
 * computed independently, so a transcription error shows up as a failing test, not as a
 * silently different trace.
 */
#ifndef LPWAN_TEST_TLS_TLS13_RFC8448_VECTORS_H
#define LPWAN_TEST_TLS_TLS13_RFC8448_VECTORS_H

namespace rfc8448
{

// ---- section 2: the server's RSA key (1024 bits)
constexpr const char* kRsaModulus
    = "b4bb498f8279303d980836399b36c6988c0c68de55e1bdb826d3901a2461eafd2de49a91d015abbc9a95137ace6c"
      "1af1"
      "9eaa6af98c7ced43120998e187a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a5fda430846748030530ef046"
      "1c8c"
      "a9d9efbfae8ea6d1d03e2bd193eff0ab9a8002c47428a6d35a8d88d79f7f1e3f";
constexpr const char* kRsaPublicExponent = "010001";
constexpr const char* kRsaPrivateExponent
    = "04dea705d43a6ea7209dd8072111a83c81e322a59278b33480641eaf7c0a6985b8e31c44f6de62e1b4c2309f6126"
      "e77b"
      "7c41e923314bbfa3881305dc1217f16c819ce538e922f369828d0e57195d8c8488460207b2faa726bcf708bbd7db"
      "7f67"
      "9f893492fc2a622e08970aac441ce4e0c3088df25ae679233df8a3bda2ff9941";
constexpr const char* kRsaPrime1
    = "e435fb7cc83737756dacea96ab7f59a2cc1069db7deb190e17e33a532b273f30a327aa0aaabc58cd67466af9845f"
      "adc6"
      "75fe094af92c4bd1f2c1bc33dd2e0515";
constexpr const char* kRsaPrime2
    = "cabd3bc0e0438664c8d4cc9f99977a94d9bbfead8e43870abae3f7eb8b4e0eee8af1d9b4719ba6196cf2cbbaeeeb"
      "f8b3"
      "490afe9e9ffa74a88aa51fc645629303";

// ---- section 3: {client} create an ephemeral x25519 key pair; the ClientHello random
constexpr const char* kClientRandom
    = "cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7";
constexpr const char* kClientPrivateKey
    = "49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005";
constexpr const char* kClientPublicKey
    = "99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c";

// {client} construct a ClientHello handshake message (196 octets)
constexpr const char* kClientHello
    = "010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece70000061301130313"
      "02"
      "010000910000000b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103"
      "0104"
      "00230000003300260024001d002099381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c"
      "002b"
      "0003020304000d0020001e040305030603020308040805080604010501060102010402050206020202002d000201"
      "0100"
      "1c00024001";
// {client} send handshake record: complete record (201 octets)
constexpr const char* kClientHelloRecord
    = "16030100c4010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7000006"
      "1301"
      "13031302010000910000000b0009000006736572766572ff01000100000a00140012001d00170018001901000101"
      "0102"
      "0103010400230000003300260024001d002099381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e"
      "529a"
      "af2c002b0003020304000d0020001e04030503060302030804080508060401050106010201040205020602020200"
      "2d00"
      "020101001c00024001";

// {server} extract secret "early"
constexpr const char* kEarlySecret
    = "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a";

// {server} create an ephemeral x25519 key pair; the ServerHello random
constexpr const char* kServerRandom
    = "a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928";
constexpr const char* kServerPrivateKey
    = "b1580eeadf6dd589b8ef4f2d5652578cc810e9980191ec8d058308cea216a21e";
constexpr const char* kServerPublicKey
    = "c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f";

// {server} construct a ServerHello handshake message (90 octets)
constexpr const char* kServerHello
    = "020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e2692800130100002e0033"
      "0024"
      "001d0020c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304";
// {server} send handshake record: complete record (95 octets)
constexpr const char* kServerHelloRecord
    = "160303005a020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928001301"
      "0000"
      "2e00330024001d0020c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f002b000203"
      "04";

// {server} derive secret for handshake "tls13 derived"; extract secret "handshake" (its IKM is
// the X25519 shared secret)
constexpr const char* kDerivedForHandshake
    = "6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba";
constexpr const char* kSharedSecret
    = "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d";
constexpr const char* kHandshakeSecret
    = "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac";
// the hash in {server} derive secret "tls13 c hs traffic": Transcript-Hash(ClientHello,
// ServerHello)
constexpr const char* kHelloHash
    = "860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8";
constexpr const char* kClientHandshakeTrafficSecret
    = "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21";
constexpr const char* kServerHandshakeTrafficSecret
    = "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38";
// {server} derive secret for master "tls13 derived"; extract secret "master"
constexpr const char* kDerivedForMaster
    = "43de77e0c77713859a944db9db2590b53190a65b3ee2e4f12dd7a0bb7ce254b4";
constexpr const char* kMasterSecret
    = "18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919";

// {server} derive write traffic keys for handshake data
constexpr const char* kServerHandshakeKey = "3fce516009c21727d0f2e4e86ee403bc";
constexpr const char* kServerHandshakeIv = "5d313eb2671276ee13000b30";

// {server} construct an EncryptedExtensions handshake message (40 octets)
constexpr const char* kEncryptedExtensions
    = "080000240022000a00140012001d00170018001901000101010201030104001c0002400100000000";
// {server} construct a Certificate handshake message (445 octets)
constexpr const char* kCertificate
    = "0b0001b9000001b50001b0308201ac30820115a003020102020102300d06092a864886f70d01010b0500300e310c"
      "300a"
      "06035504031303727361301e170d3136303733303031323335395a170d3236303733303031323335395a300e310c"
      "300a"
      "0603550403130372736130819f300d06092a864886f70d010101050003818d0030818902818100b4bb498f827930"
      "3d98"
      "0836399b36c6988c0c68de55e1bdb826d3901a2461eafd2de49a91d015abbc9a95137ace6c1af19eaa6af98c7ced"
      "4312"
      "0998e187a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a5fda430846748030530ef0461c8ca9d9efbfae8ea6"
      "d1d0"
      "3e2bd193eff0ab9a8002c47428a6d35a8d88d79f7f1e3f0203010001a31a301830090603551d1304023000300b06"
      "0355"
      "1d0f0404030205a0300d06092a864886f70d01010b05000381810085aad2a0e5b9276b908c65f73a7267170618a5"
      "4c5f"
      "8a7b337d2df7a594365417f2eae8f8a58c8f8172f9319cf36b7fd6c55b80f21a03015156726096fd335e5e67f2db"
      "f102"
      "702e608ccae6bec1fc63a42a99be5c3eb7107c3c54e9b9eb2bd5203b1c3b84e0a8b2f759409ba3eac9d91d402dcc"
      "0cc8"
      "f8961229ac9187b42b4de10000";
// Transcript-Hash(ClientHello ... Certificate): what the CertificateVerify signs (the last 32
// bytes of the signed content Botan's transcript lists for this trace)
constexpr const char* kCertificateHash
    = "764d6632b3c35c3f3205e3499ac3edbaabb88295fba751461d3678e2e5ea0687";
// {server} construct a CertificateVerify handshake message (136 octets)
constexpr const char* kCertificateVerify
    = "0f000084080400805a747c5d88fa9bd2e55ab085a61015b7211f824cd484145ab3ff52f1fda8477b0b7abc90db78"
      "e2d3"
      "3a5c141a078653fa6bef780c5ea248eeaaa785c4f394cab6d30bbe8d4859ee511f602957b15411ac027671459e46"
      "445c"
      "9ea58c181e818e95b8c3fb0bf3278409d3be152a3da5043e063dda65cdf5aea20d53dfacd42f74f3";
// {server} calculate finished "tls13 finished": the finished key; Transcript-Hash(ClientHello
// ... CertificateVerify); the Finished message (36 octets)
constexpr const char* kServerFinishedKey
    = "008d3b66f816ea559f96b537e885c31fc068bf492c652f01f288a1d8cdc19fc8";
constexpr const char* kCertificateVerifyHash
    = "edb7725fa7a3473b031ec8ef65a2485493900138a2b91291407d7951a06110ed";
constexpr const char* kServerFinished
    = "140000209b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718";
// {server} send handshake record: complete record (679 octets)
constexpr const char* kServerFlightRecord
    = "17030302a2d1ff334a56f5bff6594a07cc87b580233f500f45e489e7f33af35edf7869fcf40aa40aa2b8ea73f848"
      "a7ca"
      "07612ef9f945cb960b4068905123ea78b111b429ba9191cd05d2a389280f526134aadc7fc78c4b729df828b5ecf7"
      "b13b"
      "d9aefb0e57f271585b8ea9bb355c7c79020716cfb9b1183ef3ab20e37d57a6b9d7477609aee6e122a4cf51427325"
      "250c"
      "7d0e509289444c9b3a648f1d71035d2ed65b0e3cdd0cbae8bf2d0b227812cbb360987255cc744110c453baa4fcd6"
      "1092"
      "8d809810e4b7ed1a8fd991f06aa6248204797e36a6a73b70a2559c09ead686945ba246ab66e5edd8044b4c6de3fc"
      "f2a8"
      "9441ac66272fd8fb330ef8190579b3684596c960bd596eea520a56a8d650f563aad27409960dca63d3e688611ea5"
      "e22f"
      "4415cf9538d51a200c27034272968a264ed6540c84838d89f72c24461aad6d26f59ecaba9acbbb317b66d902f4f2"
      "92a3"
      "6ac1b639c637ce343117b659622245317b49eeda0c6258f100d7d961ffb138647e92ea330faeea6dfa31c7a84dc3"
      "bd7e"
      "1b7a6c7178af36879018e3f252107f243d243dc7339d5684c8b0378bf30244da8c87c843f5e56eb4c5e8280a2b48"
      "052c"
      "f93b16499a66db7cca71e4599426f7d461e66f99882bd89fc50800becca62d6c74116dbd2972fda1fa80f85df881"
      "edbe"
      "5a37668936b335583b599186dc5c6918a396fa48a181d6b6fa4f9d62d513afbb992f2b992f67f8afe67f76913fa3"
      "88cb"
      "5630c8ca01e0c65d11c66a1e2ac4c85977b7c7a6999bbf10dc35ae69f5515614636c0b9b68c19ed2e31c0b3b6676"
      "3038"
      "ebba42f3b38edc0399f3a9f23faa63978c317fc9fa66a73f60f0504de93b5b845e275592c12335ee340bbc4fddd5"
      "0278"
      "4016e4b3be7ef04dda49f4b440a30cb5d2af939828fd4ae3794e44f94df5a631ede42c1719bfdabf0253fe5175be"
      "898e"
      "750edc53370d2b";

// Transcript-Hash(ClientHello ... server Finished), the hash of {server} derive secret
// "tls13 c ap traffic"
constexpr const char* kServerFinishedHash
    = "9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13";
constexpr const char* kClientApplicationTrafficSecret
    = "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5";
constexpr const char* kServerApplicationTrafficSecret
    = "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643";
constexpr const char* kExporterMasterSecret
    = "fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50";
// {server} derive write traffic keys for application data
constexpr const char* kServerApplicationKey = "9f02283b6c9c07efc26bb9f2ac92e356";
constexpr const char* kServerApplicationIv = "cf782b88dd83549aadf1e984";
// {server} derive read traffic keys for handshake data (the client's handshake keys)
constexpr const char* kClientHandshakeKey = "dbfaa693d1762c5b666af5d950258d01";
constexpr const char* kClientHandshakeIv = "5bd3c71b836e0b76bb73265f";
// {client} calculate finished "tls13 finished"; the Finished message (36 octets)
constexpr const char* kClientFinishedKey
    = "b80ad01015fb2f0bd65ff7d4da5d6bf83f84821d1f87fdc7d3c75b5a7b42d9c4";
constexpr const char* kClientFinished
    = "14000020a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61";
// {client} send handshake record: complete record (58 octets)
constexpr const char* kClientFinishedRecord
    = "170303003575ec4dc238cce60b298044a71e219c56cc77b0517fe9b93c7a4bfc44d87f38f80338ac98fc46deb384"
      "bd1c"
      "aeacab6867d726c40546";
// {client} derive write traffic keys for application data
constexpr const char* kClientApplicationKey = "17422dda596ed5d9acd890e3c63f5051";
constexpr const char* kClientApplicationIv = "5b78923dee08579033e523d9";
// {client} derive secret "tls13 res master": its hash is Transcript-Hash(ClientHello ...
// client Finished)
constexpr const char* kClientFinishedHash
    = "209145a96ee8e2a122ff810047cc952684658d6049e86429426db87c54ad143d";
constexpr const char* kResumptionMasterSecret
    = "7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c";
// {server} generate resumption secret "tls13 resumption" (ticket nonce 00 00)
constexpr const char* kResumptionPsk
    = "4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3";

// {server} construct a NewSessionTicket handshake message (205 octets): lifetime 30 s,
// age_add fad6aac5, nonce 00 00, a 178-byte ticket, early_data with max 1024
constexpr const char* kTicketAgeAdd = "fad6aac5";
constexpr const char* kTicket
    = "2c035d829359ee5ff7af4ec900000000262a6494dc486d2c8a34cb33fa90bf1b0070ad3c498883c9367c09a2be78"
      "5abc"
      "55cd226097a3a982117283f82a03a143efd3ff5dd36d64e861be7fd61d2827db279cce145077d454a3664d4e6da4"
      "d29e"
      "e03725a6a4dafcd0fc67d2aea70529513e3da2677fa5906c5b3f7d8f92f228bda40dda721470f9fbf297b5aea617"
      "646f"
      "ac5c03272e970727c621a79141ef5f7de6505e5bfbc388e93343694093934ae4d357";
constexpr const char* kNewSessionTicket
    = "040000c90000001efad6aac502000000b22c035d829359ee5ff7af4ec900000000262a6494dc486d2c8a34cb33fa"
      "90bf"
      "1b0070ad3c498883c9367c09a2be785abc55cd226097a3a982117283f82a03a143efd3ff5dd36d64e861be7fd61d"
      "2827"
      "db279cce145077d454a3664d4e6da4d29ee03725a6a4dafcd0fc67d2aea70529513e3da2677fa5906c5b3f7d8f92"
      "f228"
      "bda40dda721470f9fbf297b5aea617646fac5c03272e970727c621a79141ef5f7de6505e5bfbc388e93343694093"
      "934a"
      "e4d3570008002a000400000400";
// {server} send handshake record: complete record (227 octets)
constexpr const char* kNewSessionTicketRecord
    = "17030300de3a6b8f90414a97d6959c3487680de5134a2b240e6cffac116e95d41d6af8f6b580dcf3d11d63c758db"
      "289a"
      "015940252f55713e061dc13e078891a38efbcf5753ad8ef170ad3c7353d16d9da773b9ca7f2b9fa1b6c0d4a3d03f"
      "75e0"
      "9c30ba1e62972ac46f75f7b981be63439b2999ce13064615139891d5e4c5b406f16e3fc181a77ca475840025db2f"
      "0a77"
      "f81b5ab05b94c01346755f69232c86519d86cbeeac87aac347d143f9605d64f650db4d023e70e952ca49fe513712"
      "1c74"
      "bc2697687e248746d6df353005f3bce18696129c8153556b3b6c6779b37bf15985684f";

// {client} / {server} send application_data record: payload 00 01 ... 31 (50 octets)
constexpr const char* kClientApplicationDataRecord
    = "1703030043a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f2b9819a8a5b46b395bd54a9a2044"
      "1e2b"
      "62974e1f5a6292a2977014bd1e3deae63aeebb21694915e4";
constexpr const char* kServerApplicationDataRecord
    = "17030300432e937e11ef4ac740e538ad36005fc4a46932fc3225d05f82aa1b36e30efaf97d90e6dffc602dcb501a"
      "59a8"
      "fcc49c4bf2e5f0a21c0047c2abf332540dd032e167c2955d";
// {client} / {server} send alert record: close_notify (payload 01 00)
constexpr const char* kClientAlertRecord = "1703030013c9872760655666b74d7ff1153efd6db6d0b0e3";
constexpr const char* kServerAlertRecord = "1703030013b58fd67166ebf599d24720cfbe7efa7a8864a9";

} // namespace rfc8448

#endif // LPWAN_TEST_TLS_TLS13_RFC8448_VECTORS_H
