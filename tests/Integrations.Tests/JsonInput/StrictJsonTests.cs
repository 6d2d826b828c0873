using System.Text.Json;
using ChatOps.Integrations.JsonInput;

namespace ChatOps.Integrations.Tests.JsonInput;

public sealed class StrictJsonTests
{
    [Theory]
    [InlineData("""{"text":"help","text":"/env lock dev"}""", "`text` appears more than once in the same object")]
    [InlineData("""{"text":"help","t\u0065xt":"/env lock dev"}""", "`text` appears more than once in the same object")]
    [InlineData("""{"a":[{"b":1},{"b":1,"b":2}]}""", "`a[1].b` appears more than once in the same object")]
    [InlineData("""{"a":{"b":"\ud800"}}""", "`a.b` holds a lone UTF-16 surrogate (such as \\ud800 without its pair)")]
    [InlineData("""["ok","\udc00"]""", "`[1]` holds a lone UTF-16 surrogate (such as \\ud800 without its pair)")]
    [InlineData("""{"\ud800":1}""", "the body has a property name that holds a lone UTF-16 surrogate (such as \\ud800 without its pair)")]
    public void FindProblem_AmbiguousOrNotText_NamesThePath(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected, StrictJson.FindProblem(document.RootElement)?.ToString());
    }

    [Fact]
    public void FindProblem_InvalidUtf8_NamesThePath()
    {
        using var document = JsonDocument.Parse((byte[])[.. """{"ok":"é","bad":" """u8, 0xC3, 0x28, .. "\"}"u8]);

        Assert.Equal("`bad` is not valid UTF-8", StrictJson.FindProblem(document.RootElement)?.ToString());
    }

    [Fact]
    public void FindProblem_WellFormed_IsNull()
    {
        using var document = JsonDocument.Parse("""{"a":[1,"x",{"b":null,"c":"\ud83d\ude00"}],"d":true}""");

        Assert.Null(StrictJson.FindProblem(document.RootElement));
    }

    [Fact]
    public void FindProblemOutside_SkipsTheNamedPropertyButNotItsDuplicate()
    {
        using var items = JsonDocument.Parse("""{"alerts":[{"x":1,"x":2}],"receiver":"r"}""");
        using var twice = JsonDocument.Parse("""{"alerts":[],"alerts":[]}""");

        Assert.Null(StrictJson.FindProblemOutside(items.RootElement, "alerts"));
        Assert.Equal("`alerts` appears more than once in the same object", StrictJson.FindProblemOutside(twice.RootElement, "alerts")?.ToString());
    }
}
