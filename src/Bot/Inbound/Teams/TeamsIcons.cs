using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ChatOps.Bot.Inbound.Teams;

/// <summary>
/// The two icons a Teams app package needs, drawn here so the package needs no image files or libraries: the color
/// icon (192×192, three white bars, a pulse, on the accent color) and the outline icon (32×32, the same bars in white
/// on transparent, as Teams asks of outlines). Written as RGBA PNGs: signature, IHDR, one zlib IDAT, IEND.
/// </summary>
internal static class TeamsIcons
{
    public const int ColorSize = 192;
    public const int OutlineSize = 32;

    /// <summary>The accent color, also the manifest's <c>accentColor</c>.</summary>
    public const string AccentColor = "#3F51B5";

    // Pixels as 0xRRGGBBAA.
    private const uint White = 0xFFFFFFFF;
    private const uint Transparent = 0x00000000;
    private const uint Accent = 0x3F51B5FF;

    public static byte[] Color() => Png(ColorSize, (x, y) => Bar(x, y, ColorSize) ? White : Accent);

    public static byte[] Outline() => Png(OutlineSize, (x, y) => Bar(x, y, OutlineSize) ? White : Transparent);

    /// <summary>Three bars of rising height standing on a common base, in the middle of the square.</summary>
    private static bool Bar(int x, int y, int size)
    {
        var unit = size / 8.0;
        var bottom = size - (unit * 1.5);
        ReadOnlySpan<(double Left, double Height)> bars = [(1.5, 2.5), (3.5, 4), (5.5, 5.5)];
        foreach (var (left, height) in bars)
        {
            if (x >= left * unit && x < (left + 1) * unit && y >= bottom - (height * unit) && y < bottom)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A square RGBA PNG of <paramref name="size"/> pixels, each colour as <c>0xRRGGBBAA</c>.</summary>
    internal static byte[] Png(int size, Func<int, int, uint> pixel)
    {
        // Each scanline starts with its filter type (0: none).
        var raw = new byte[size * ((size * 4) + 1)];
        for (var y = 0; y < size; y++)
        {
            var row = y * ((size * 4) + 1);
            for (var x = 0; x < size; x++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(raw.AsSpan(row + 1 + (x * 4)), pixel(x, y));
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, size);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), size);
        header[8] = 8; // bits per channel
        header[9] = 6; // colour type: RGBA
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeBytes, data));
        png.Write(number);
    }

    /// <summary>The PNG chunk CRC (ISO 3309, the same as zip's) over the type and the data.</summary>
    private static uint Crc32(byte[] type, byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in type.Concat(data))
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
