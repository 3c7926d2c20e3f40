#include "edhoc-error-message.h"

#include "edhoc-cbor.h"
#include "edhoc-messages.h"

namespace lpwan
{
namespace edhoc
{

Bytes
EncodeError(const ErrorMessage& e)
{
    CborWriter w;
    w.Int(e.code);
    switch (static_cast<ErrorCode>(e.code))
    {
        case ErrorCode::UnspecifiedError:
            w.Tstr(e.diagnostic);
            break;
        case ErrorCode::WrongSelectedSuite:
            w.Raw(EncodeSuites(e.suites));
            break;
        case ErrorCode::UnknownCredential:
            w.Bool(true);
            break;
        default:
            w.Raw(e.rawInfo);
            break;
    }
    return w.Take();
}

Bytes
EncodeUnspecifiedError(const std::string& diagnostic)
{
    ErrorMessage e;
    e.diagnostic = diagnostic;
    return EncodeError(e);
}

Bytes
EncodeWrongSelectedSuite(const std::vector<int64_t>& suitesR)
{
    ErrorMessage e;
    e.code = static_cast<int64_t>(ErrorCode::WrongSelectedSuite);
    e.suites = suitesR;
    return EncodeError(e);
}

Bytes
EncodeUnknownCredential()
{
    ErrorMessage e;
    e.code = static_cast<int64_t>(ErrorCode::UnknownCredential);
    return EncodeError(e);
}

bool
DecodeError(const Bytes& in, ErrorMessage& e, std::string& error)
{
    CborReader r(in);
    e = ErrorMessage{};
    if (in.size() > kMaxMessageLength || !r.ReadInt(e.code))
    {
        error = "error message: ERR_CODE is not an integer";
        return false;
    }
    const size_t infoStart = r.Position();
    if (!r.ReadRawItem(e.rawInfo) || !r.AtEnd())
    {
        error = "error message: ERR_INFO missing or malformed, or bytes after it";
        return false;
    }
    CborReader info(in.data() + infoStart, in.size() - infoStart);
    CborHead h;
    switch (static_cast<ErrorCode>(e.code))
    {
        case ErrorCode::UnspecifiedError:
            if (!info.ReadTstr(e.diagnostic))
            {
                error = "error message: ERR_CODE 1 without a text diagnostic";
                return false;
            }
            return true;
        case ErrorCode::WrongSelectedSuite:
        {
            info.Peek(h);
            if (h.type == CborType::Array)
            {
                info.Next(h);
                if (h.value < 1 || h.value > kMaxSuites)
                {
                    error = "error message: SUITES_R has a bad length";
                    return false;
                }
                for (uint64_t i = 0; i < h.value; ++i)
                {
                    int64_t s = 0;
                    if (!info.ReadInt(s))
                    {
                        error = "error message: SUITES_R holds a non-integer";
                        return false;
                    }
                    e.suites.push_back(s);
                }
                return true;
            }
            int64_t s = 0;
            if (!info.ReadInt(s))
            {
                error = "error message: SUITES_R is not an integer or array";
                return false;
            }
            e.suites.push_back(s);
            return true;
        }
        case ErrorCode::UnknownCredential:
            if (!info.Next(h) || h.type != CborType::Bool || !h.boolean)
            {
                error = "error message: ERR_CODE 3 without true";
                return false;
            }
            return true;
        default:
            return true; // other codes: keep ERR_INFO raw
    }
}

} // namespace edhoc
} // namespace lpwan
