using Microsoft.CodeAnalysis;

namespace Gen.Generators
{
    /// <summary>
    /// For each <c>[Gen.SizeClassed] partial struct</c>, emits its exact size, size class, class size, pointer bitmap
    /// and <c>Alloc</c>/<c>AllocUninitialized</c>/<c>Free</c>, implementing <c>Gen.ISizeClassed&lt;T&gt;</c>.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class SizeClassedGenerator : IIncrementalGenerator
    {
        internal const string SizeClassedAttributeName = "Gen.SizeClassedAttribute";

        /// <summary>Tracking names of the pipeline steps, for incrementality tests.</summary>
        internal static class TrackingNames
        {
            public const string Models = nameof(Models);
            public const string ValidModels = nameof(ValidModels);
        }

        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            IncrementalValuesProvider<SizeClassedModel> models = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    SizeClassedAttributeName,
                    static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.StructDeclarationSyntax
                        || node is Microsoft.CodeAnalysis.CSharp.Syntax.RecordDeclarationSyntax,
                    SizeClassedParser.Parse)
                .WithTrackingName(TrackingNames.Models)
                .Where(static model => model is not null)
                .Select(static (model, _) => model!)
                .WithTrackingName(TrackingNames.ValidModels);

            context.RegisterSourceOutput(models, static (output, model) =>
                output.AddSource(model.HintName, SizeClassedEmitter.Emit(model)));
        }
    }
}
