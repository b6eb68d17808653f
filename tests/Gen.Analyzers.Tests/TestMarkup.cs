using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Gen.Analyzers.Tests;

/// <summary>An expected diagnostic span: <c>{|GEN001:text|}</c>, or <c>{|GEN006,GEN007:text|}</c> for several.</summary>
internal readonly record struct MarkedSpan(string Id, TextSpan Span);

internal static class TestMarkup
{
    private const string Open = "{|";
    private const string Close = "|}";

    /// <summary>Strips the markers from <paramref name="markup"/> and returns the plain source and the marked spans.</summary>
    public static (string Source, List<MarkedSpan> Spans) Parse(string markup)
    {
        var source = new StringBuilder(markup.Length);
        var spans = new List<MarkedSpan>();
        int index = 0;
        while (true)
        {
            int open = markup.IndexOf(Open, index, StringComparison.Ordinal);
            if (open < 0)
                break;
            int colon = markup.IndexOf(':', open);
            int close = markup.IndexOf(Close, colon, StringComparison.Ordinal);
            source.Append(markup, index, open - index);
            string text = markup.Substring(colon + 1, close - colon - 1);
            var span = new TextSpan(source.Length, text.Length);
            foreach (string id in markup.Substring(open + Open.Length, colon - open - Open.Length).Split(','))
                spans.Add(new MarkedSpan(id, span));
            source.Append(text);
            index = close + Close.Length;
        }
        source.Append(markup, index, markup.Length - index);
        return (source.ToString(), spans);
    }
}
