using ActorDemo.Node.Serialization;
using Akka.Actor;
using static ActorDemo.Aggregator.AggregatorProtocol;

namespace ActorDemo.Aggregator;

/// <summary>Writes every <see cref="IAggregatorMessage"/>: the partial windows, their acknowledgements, the incarnation checks, and what inspection asks the singleton.</summary>
public sealed class AggregatorMessageSerializer(ExtendedActorSystem system) : JsonMessageSerializer(system, Manifests)
{
    public const string Name = "actordemo-aggregator";

    public static readonly IReadOnlyDictionary<Type, string> Manifests = new Dictionary<Type, string>
    {
        [typeof(PartialWindow)] = "partial",
        [typeof(PartialAcknowledged)] = "acknowledged",
        [typeof(ConfirmIncarnation)] = "confirm",
        [typeof(IncarnationConfirmed)] = "confirmed",
        [typeof(IncarnationSuperseded)] = "superseded",
        [typeof(WitnessPartial)] = "witness",
        [typeof(PartialWitnessed)] = "witnessed",
        [typeof(WitnessDecision)] = "witness-decision",
        [typeof(DecisionWitnessed)] = "decision-witnessed",
        [typeof(HeldDecision)] = "held-decision",
        [typeof(WindowEmitted)] = "emitted",
        [typeof(GetSummary)] = "get-summary",
        [typeof(Summary)] = "summary",
        [typeof(GetHistory)] = "get-history",
        [typeof(History)] = "history",
        [typeof(SubscribeWindows)] = "subscribe",
        [typeof(WindowRecorded)] = "window",
    };

    public override int Identifier => 40531;
}
