using System.Text;

namespace ActorDemo.Readings;

/// <summary>Text from outside made safe to print: control characters become <c>\uXXXX</c>.</summary>
public static class Printable
{
    public static string Escape(string text)
    {
        if (IndexOfControl(text) < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            escaped.Append(IsControl(c) ? $"\\u{(int)c:x4}" : c);
        }

        return escaped.ToString();
    }

    /// <summary>Where the first control character (C0, DEL or C1) is, or -1.</summary>
    public static int IndexOfControl(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsControl(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsControl(char c) => c < '\u0020' || c is >= '\u007f' and <= '\u009f';
}
