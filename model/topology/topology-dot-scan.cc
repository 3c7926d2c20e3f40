#include "topology-dot-scan.h"

#include "topology.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace ns3
{
namespace topology
{

namespace
{

/// Subgraphs nest at most this deep (read_graphviz recurses once per level, and a file of
/// braces must not exhaust the stack).
constexpr int kMaxDepth = 100;

struct Token
{
    enum class Kind
    {
        End,
        Id,      ///< identifier, numeral, quoted string or HTML string
        Keyword, ///< strict, graph, digraph, node, edge, subgraph (any case, unquoted)
        EdgeOp,  ///< -- or ->
        Punct,   ///< { } [ ] = ; , :
    };

    Kind kind = Kind::End;
    std::string_view text; ///< an Id without its quotes; a keyword in the file's case
    char punct = 0;
    size_t line = 1;
};

bool
IsIdStart(unsigned char c)
{
    return std::isalpha(c) || c == '_' || c >= 0x80;
}

bool
IsIdChar(unsigned char c)
{
    return IsIdStart(c) || std::isdigit(c);
}

bool
EqualsNoCase(std::string_view a, const char* b)
{
    std::string_view bv(b);
    return a.size() == bv.size()
           && std::equal(a.begin(), a.end(), bv.begin(),
                         [](char x, char y)
                         {
                             return std::tolower(static_cast<unsigned char>(x)) == y;
                         });
}

class Scanner
{
  public:
    Scanner(const std::string& text, const std::string& origin)
      : m_text(text)
      , m_origin(origin)
    {
        m_next = Lex();
    }

    DotSize Run()
    {
        if (IsKeyword(m_next, "strict"))
        {
            Take();
        }
        if (!IsKeyword(m_next, "graph") && !IsKeyword(m_next, "digraph"))
        {
            Unreadable("expected 'graph' or 'digraph'");
        }
        Take();
        if (m_next.kind == Token::Kind::Id)
        {
            Take();
        }
        Expect('{');
        StatementList(1);
        Expect('}');
        return DotSize{m_names.size(), m_edges};
    }

  private:
    static bool IsKeyword(const Token& t, const char* word)
    {
        return t.kind == Token::Kind::Keyword && EqualsNoCase(t.text, word);
    }

    static bool IsPunct(const Token& t, char c)
    {
        return t.kind == Token::Kind::Punct && t.punct == c;
    }

    [[noreturn]] void Unreadable(const std::string& what) const
    {
        throw TopologyError(m_origin + ": not a valid DOT graph: line "
                            + std::to_string(m_next.line) + ": " + what);
    }

    Token Take()
    {
        Token t = m_next;
        m_next = Lex();
        return t;
    }

    void Expect(char c)
    {
        if (!IsPunct(m_next, c))
        {
            Unreadable(std::string("expected '") + c + "'");
        }
        Take();
    }

    /// Returns how many node mentions the statements hold (nested subgraphs included): an
    /// upper bound on the size of the subgraph they make.
    uint64_t StatementList(int depth)
    {
        uint64_t mentions = 0;
        while (m_next.kind != Token::Kind::End && !IsPunct(m_next, '}'))
        {
            mentions += Statement(depth);
            if (IsPunct(m_next, ';') || IsPunct(m_next, ','))
            {
                Take();
            }
        }
        return mentions;
    }

    uint64_t Statement(int depth)
    {
        if (IsKeyword(m_next, "graph") || IsKeyword(m_next, "node") || IsKeyword(m_next, "edge"))
        {
            Take();
            AttributeLists();
            return 0;
        }
        if (m_next.kind == Token::Kind::Id)
        {
            // ID '=' ID: a graph attribute. One token of look-ahead past the ID decides.
            Token id = Take();
            if (IsPunct(m_next, '='))
            {
                Take();
                if (m_next.kind != Token::Kind::Id && m_next.kind != Token::Kind::Keyword)
                {
                    Unreadable("expected a value after '='");
                }
                Take();
                return 0;
            }
            return EdgeChain(NodeId(id), depth);
        }
        return EdgeChain(Operand(depth), depth);
    }

    /// operand (edgeop operand)* attributes: every operand's mentions, and the edges made.
    uint64_t EdgeChain(uint64_t first, int depth)
    {
        uint64_t mentions = first;
        uint64_t previous = first;
        while (m_next.kind == Token::Kind::EdgeOp)
        {
            Take();
            const uint64_t next = Operand(depth);
            // An edge between two subgraphs joins every node of one to every node of the other.
            const double made = static_cast<double>(previous) * static_cast<double>(next);
            if (static_cast<double>(m_edges) + made > static_cast<double>(kMaxDotEdges))
            {
                throw TopologyError(m_origin + ": line " + std::to_string(m_next.line)
                                    + ": more than " + std::to_string(kMaxDotEdges)
                                    + " edges (an edge between subgraphs counts every pair of "
                                      "their nodes); a topology file may have at most "
                                    + std::to_string(kMaxDotEdges));
            }
            m_edges += previous * next;
            mentions += next;
            previous = next;
        }
        AttributeLists();
        return mentions;
    }

    uint64_t Operand(int depth)
    {
        if (m_next.kind == Token::Kind::Id)
        {
            return NodeId(Take());
        }
        if (IsKeyword(m_next, "subgraph") || IsPunct(m_next, '{'))
        {
            return Subgraph(depth);
        }
        Unreadable("expected a node or a subgraph");
    }

    /// A node name (and its optional port): one mention.
    uint64_t NodeId(const Token& id)
    {
        m_names.insert(id.text);
        if (m_names.size() > kMaxDotNodes)
        {
            throw TopologyError(m_origin + ": line " + std::to_string(id.line) + ": more than "
                                + std::to_string(kMaxDotNodes)
                                + " nodes; a topology file may name at most "
                                + std::to_string(kMaxDotNodes)
                                + " (a hub's devices=N adds devices without naming them)");
        }
        for (int part = 0; part < 2 && IsPunct(m_next, ':'); ++part)
        {
            Take();
            if (m_next.kind != Token::Kind::Id)
            {
                Unreadable("expected a port after ':'");
            }
            Take();
        }
        return 1;
    }

    uint64_t Subgraph(int depth)
    {
        if (depth >= kMaxDepth)
        {
            Unreadable("subgraphs nested more than " + std::to_string(kMaxDepth) + " deep");
        }
        std::string_view name;
        if (IsKeyword(m_next, "subgraph"))
        {
            Take();
            if (m_next.kind == Token::Kind::Id)
            {
                name = Take().text;
            }
            if (!IsPunct(m_next, '{'))
            {
                // A reference to a subgraph defined before: its nodes, as counted then.
                auto it = m_subgraphs.find(name);
                return it == m_subgraphs.end() ? 0 : it->second;
            }
        }
        Expect('{');
        const uint64_t mentions = StatementList(depth + 1);
        Expect('}');
        if (!name.empty())
        {
            m_subgraphs[name] += mentions;
        }
        return mentions;
    }

    void AttributeLists()
    {
        while (IsPunct(m_next, '['))
        {
            Take();
            while (!IsPunct(m_next, ']'))
            {
                if (m_next.kind == Token::Kind::End)
                {
                    Unreadable("an attribute list does not end");
                }
                Take();
            }
            Take();
        }
    }

    /// The next token (comments and white space skipped).
    Token Lex()
    {
        const size_t n = m_text.size();
        while (m_pos < n)
        {
            const char c = m_text[m_pos];
            if (c == '\n')
            {
                ++m_line;
                ++m_pos;
            }
            else if (std::isspace(static_cast<unsigned char>(c)))
            {
                ++m_pos;
            }
            else if (c == '#')
            {
                SkipTo("\n"); // a preprocessor line, which read_graphviz skips too
            }
            else if (m_text.compare(m_pos, 2, "\\\n") == 0)
            {
                m_pos += 2; // a line continuation, as read_graphviz reads it
                ++m_line;
            }
            else if (m_text.compare(m_pos, 2, "//") == 0)
            {
                SkipTo("\n");
            }
            else if (m_text.compare(m_pos, 2, "/*") == 0)
            {
                m_pos += 2;
                SkipTo("*/");
                m_pos = std::min(n, m_pos + 2);
            }
            else
            {
                break;
            }
        }
        Token t;
        t.line = m_line;
        m_next.line = m_line; // for Unreadable's message while this token is read
        if (m_pos >= n)
        {
            return t;
        }
        const std::string_view all(m_text);
        const unsigned char c = m_text[m_pos];
        if (IsIdStart(c))
        {
            const size_t start = m_pos;
            while (m_pos < n && IsIdChar(m_text[m_pos]))
            {
                ++m_pos;
            }
            t.text = all.substr(start, m_pos - start);
            bool keyword = false;
            for (const char* k : {"strict", "graph", "digraph", "node", "edge", "subgraph"})
            {
                keyword = keyword || EqualsNoCase(t.text, k);
            }
            t.kind = keyword ? Token::Kind::Keyword : Token::Kind::Id;
            return t;
        }
        if (c == '-' && m_pos + 1 < n && (m_text[m_pos + 1] == '-' || m_text[m_pos + 1] == '>'))
        {
            m_pos += 2;
            t.kind = Token::Kind::EdgeOp;
            return t;
        }
        if (std::isdigit(c) || c == '.' || c == '-')
        {
            const size_t start = m_pos++;
            while (m_pos < n
                   && (std::isdigit(static_cast<unsigned char>(m_text[m_pos]))
                       || m_text[m_pos] == '.'))
            {
                ++m_pos;
            }
            t.kind = Token::Kind::Id;
            t.text = all.substr(start, m_pos - start);
            return t;
        }
        if (c == '"')
        {
            const size_t start = ++m_pos;
            while (m_pos < n && m_text[m_pos] != '"')
            {
                m_line += m_text[m_pos] == '\n';
                m_pos += m_text[m_pos] == '\\' && m_pos + 1 < n ? 2 : 1;
            }
            if (m_pos >= n)
            {
                Unreadable("a quoted string does not end");
            }
            t.kind = Token::Kind::Id;
            t.text = all.substr(start, m_pos - start);
            ++m_pos;
            return t;
        }
        if (c == '<')
        {
            // An HTML string: <...> with nested angle brackets.
            const size_t start = m_pos;
            int level = 0;
            do
            {
                level += m_text[m_pos] == '<' ? 1 : m_text[m_pos] == '>' ? -1 : 0;
                m_line += m_text[m_pos] == '\n';
                ++m_pos;
            } while (m_pos < n && level > 0);
            if (level > 0)
            {
                Unreadable("an HTML string does not end");
            }
            t.kind = Token::Kind::Id;
            t.text = all.substr(start, m_pos - start);
            return t;
        }
        if (std::string_view("{}[]=;,:").find(static_cast<char>(c)) != std::string_view::npos)
        {
            ++m_pos;
            t.kind = Token::Kind::Punct;
            t.punct = static_cast<char>(c);
            return t;
        }
        Unreadable(std::string("unexpected character '") + static_cast<char>(c) + "'");
    }

    void SkipTo(const char* end)
    {
        const size_t at = m_text.find(end, m_pos);
        const size_t stop = at == std::string::npos ? m_text.size() : at;
        m_line += std::count(m_text.begin() + m_pos, m_text.begin() + stop, '\n');
        m_pos = stop;
    }

    const std::string& m_text;
    const std::string& m_origin;
    size_t m_pos = 0;
    size_t m_line = 1;
    Token m_next;
    std::unordered_set<std::string_view> m_names;
    std::unordered_map<std::string_view, uint64_t> m_subgraphs;
    uint64_t m_edges = 0;
};

} // namespace

DotSize
ScanDot(const std::string& text, const std::string& origin)
{
    return Scanner(text, origin).Run();
}

} // namespace topology
} // namespace ns3
