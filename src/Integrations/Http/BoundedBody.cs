namespace ChatOps.Integrations.Http;

/// <summary>
/// Reads a request body whole, up to a limit. A platform's signature is over the raw bytes, so the body is read
/// before anything is parsed; the limit keeps a client that sends far more than any platform would (or leaves out
/// <c>Content-Length</c>) from filling memory.
/// </summary>
internal static class BoundedBody
{
    /// <summary>The body's bytes, or null as soon as it proves longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
