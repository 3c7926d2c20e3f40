#include "edhoc-coap.h"

#include "../oscore/oscore-option-value.h"
#include "edhoc-cbor.h"
#include "edhoc-connection-id.h"

namespace lpwan
{
namespace edhoc
{

namespace
{

coap::Message
EdhocPost(Bytes payload)
{
    coap::Message m;
    m.type = coap::Type::Confirmable;
    m.code = coap::code::Post;
    m.SetUriPath(kWellKnownEdhocPath);
    m.AddUintOption(coap::option::ContentFormat, kContentFormatCidEdhoc);
    m.payload = std::move(payload);
    return m;
}

} // namespace

coap::Message
MakeMessage1Request(const Bytes& message1)
{
    Bytes payload = CborWriter().Bool(true).Take();
    payload.insert(payload.end(), message1.begin(), message1.end());
    return EdhocPost(std::move(payload));
}

coap::Message
MakeMessage3Request(const Bytes& cR, const Bytes& message)
{
    Bytes payload = EncodeCompactBstr(cR);
    payload.insert(payload.end(), message.begin(), message.end());
    return EdhocPost(std::move(payload));
}

bool
IsEdhocRequest(const coap::Message& request)
{
    return request.IsRequest() && request.GetUriPath() == kWellKnownEdhocPath;
}

bool
ParseEdhocRequestPayload(const Bytes& payload, EdhocRequestPayload& out, std::string& error)
{
    out = EdhocRequestPayload{};
    CborReader r(payload);
    CborHead h;
    if (!r.Peek(h))
    {
        error = "EDHOC request: " + r.Error();
        return false;
    }
    if (h.type == CborType::Bool)
    {
        r.Next(h);
        if (!h.boolean)
        {
            error = "EDHOC request: prefix false";
            return false;
        }
        out.message1 = true;
    }
    else if (!ReadCompactBstr(r, out.cR, kMaxConnectionIdLength))
    {
        error = "EDHOC request: C_R: " + r.Error();
        return false;
    }
    out.message.assign(payload.begin() + r.Position(), payload.end());
    if (out.message.empty())
    {
        error = "EDHOC request: no EDHOC message after the prefix";
        return false;
    }
    return true;
}

coap::Message
MakeEdhocResponse(const Bytes& message, bool isError)
{
    coap::Message m;
    m.code = isError ? coap::code::BadRequest : coap::code::Changed;
    m.AddUintOption(coap::option::ContentFormat, kContentFormatEdhoc);
    m.payload = message;
    return m;
}

void
MakeCombinedRequest(coap::Message& protectedRequest, const Bytes& message3)
{
    protectedRequest.AddOption(kEdhocOption, {});
    Bytes payload = message3;
    payload.insert(payload.end(), protectedRequest.payload.begin(), protectedRequest.payload.end());
    protectedRequest.payload = std::move(payload);
}

bool
IsCombinedRequest(const coap::Message& request)
{
    return request.IsRequest() && request.FindOption(kEdhocOption) != nullptr;
}

bool
SplitCombinedRequest(coap::Message& request, Bytes& message3, Bytes& cR, std::string& error)
{
    const coap::Option* edhoc = request.FindOption(kEdhocOption);
    const coap::Option* oscoreOption = request.FindOption(coap::option::Oscore);
    if (!edhoc || !edhoc->value.empty())
    {
        error = "combined request: no (empty) EDHOC option";
        return false;
    }
    if (!oscoreOption)
    {
        error = "combined request: no OSCORE option";
        return false;
    }
    std::optional<oscore::OptionValue> ov = oscore::DecodeOptionValue(oscoreOption->value, &error);
    if (!ov || !ov->kid)
    {
        error = "combined request: OSCORE option without kid " + error;
        return false;
    }
    CborReader r(request.payload);
    Bytes ciphertext3;
    if (!r.ReadBstr(ciphertext3) || r.AtEnd())
    {
        error = "combined request: payload is not message_3 || OSCORE ciphertext";
        return false;
    }
    message3.assign(request.payload.begin(), request.payload.begin() + r.Position());
    Bytes rest(request.payload.begin() + r.Position(), request.payload.end());
    request.payload = std::move(rest);
    request.RemoveOption(kEdhocOption);
    cR = *ov->kid;
    return true;
}

} // namespace edhoc
} // namespace lpwan
