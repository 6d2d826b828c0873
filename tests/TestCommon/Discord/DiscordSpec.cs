using ChatOps.TestCommon.OpenApi;

namespace ChatOps.TestCommon.Discord;

/// <summary>
/// Discord's OpenAPI description of REST v10 (tests/specs/discord/openapi.json), loaded once. Undeclared properties
/// are refused: Discord ignores a misspelt field, so only this catches one.
/// </summary>
public static class DiscordSpec
{
    private static readonly Lazy<OpenApiRequestValidator> Shared = new(() => OpenApiRequestValidator.Load(SpecFiles.Path("discord", "openapi.json"), rejectUndeclaredProperties: true));

    public static OpenApiRequestValidator Validator => Shared.Value;
}
