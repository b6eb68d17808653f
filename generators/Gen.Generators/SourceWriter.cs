using System.Text;

namespace Gen.Generators
{
    /// <summary>A minimal indenting text writer for generated C#: four spaces per level, '\n' line ends, so the
    /// output is byte-for-byte the same on every machine.</summary>
    internal sealed class SourceWriter
    {
        private const string IndentUnit = "    ";
        private readonly StringBuilder _text = new StringBuilder();
        private int _indent;

        public void WriteLine(string line)
        {
            if (line.Length > 0)
            {
                for (int i = 0; i < _indent; i++) _text.Append(IndentUnit);
                _text.Append(line);
            }
            _text.Append('\n');
        }

        public void WriteLine() => _text.Append('\n');

        public void OpenBlock(string header)
        {
            WriteLine(header);
            WriteLine("{");
            _indent++;
        }

        public void CloseBlock() => CloseBlockWith("}");

        /// <summary>Closes a block with a custom closer, such as "};" after an array initializer.</summary>
        public void CloseBlockWith(string closer)
        {
            _indent--;
            WriteLine(closer);
        }

        public override string ToString() => _text.ToString();
    }
}
