using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ChatOps.Radiator.Pulse;

/// <summary>
/// Draws a small bar sparkline as a PNG (8-bit RGB, one IDAT), encoded here so no imaging package
/// is needed: a PNG is a signature and CRC-checked chunks, with zlib-compressed filtered rows.
/// </summary>
public static class Sparkline
{
    public const int Width = 120;
    public const int Height = 32;

    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly (byte R, byte G, byte B) Background = (0xFF, 0xFF, 0xFF);
    private static readonly (byte R, byte G, byte B) Bar = (0x4A, 0x90, 0xD9);
    private static readonly (byte R, byte G, byte B) Last = (0x1F, 0x4E, 0x8C);

    /// <summary>One bar per value, oldest first; a missing value leaves its slot empty.</summary>
    public static byte[] Render(IReadOnlyList<double?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var pixels = new (byte R, byte G, byte B)[Width * Height];
        Array.Fill(pixels, Background);
        var present = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        if (values.Count > 0 && present.Count > 0)
        {
            var min = Math.Min(0, present.Min());
            var max = present.Max();
            var span = max - min;
            var slot = Width / values.Count;
            for (var i = 0; i < values.Count; i++)
            {
                if (values[i] is not { } value)
                {
                    continue;
                }

                // Never zero height for a present value: a flat series still shows it has data.
                var height = span <= 0 ? Height / 2 : Math.Max(1, (int)Math.Round((value - min) / span * (Height - 2)));
                var color = i == values.Count - 1 ? Last : Bar;
                for (var x = i * slot; x < ((i + 1) * slot) - 1 && x < Width; x++)
                {
                    for (var y = Height - height; y < Height; y++)
                    {
                        pixels[(y * Width) + x] = color;
                    }
                }
            }
        }

        return Encode(pixels, Width, Height);
    }

    internal static byte[] Encode((byte R, byte G, byte B)[] pixels, int width, int height)
    {
        var raw = new byte[height * ((width * 3) + 1)];
        var offset = 0;
        for (var y = 0; y < height; y++)
        {
            raw[offset++] = 0; // Filter type None: the picture is tiny, compression is not the point.
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = pixels[(y * width) + x];
                raw[offset++] = r;
                raw[offset++] = g;
                raw[offset++] = b;
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: truecolour
        using var png = new MemoryStream();
        png.Write(Signature);
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream stream, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        stream.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        stream.Write(typeBytes);
        stream.Write(data);
        // The CRC covers the chunk type and data, not the length.
        var crc = Crc32.Update(Crc32.Update(Crc32.Initial, typeBytes), data) ^ Crc32.Initial;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        stream.Write(word);
    }
}

/// <summary>CRC-32 as PNG and zlib's gzip define it (polynomial 0xEDB88320, reflected).</summary>
public static class Crc32
{
    public const uint Initial = 0xFFFFFFFF;

    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data) => Update(Initial, data) ^ Initial;

    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
