using Akka.Streams;
using Akka.Streams.Stage;

namespace ActorDemo.Aggregator;

/// <summary>A stage that folds the groups <c>GroupedWithin</c> cuts into this node's shares of the windows.</summary>
public abstract class WindowStage : GraphStage<FlowShape<IEnumerable<ArrivedReading>, WindowShare>>
{
    private readonly string _name;

    protected WindowStage(string name)
    {
        _name = name;
        Shape = new FlowShape<IEnumerable<ArrivedReading>, WindowShare>(new Inlet<IEnumerable<ArrivedReading>>($"{name}.in"), new Outlet<WindowShare>($"{name}.out"));
    }

    public override FlowShape<IEnumerable<ArrivedReading>, WindowShare> Shape { get; }

    protected override Attributes InitialAttributes => Attributes.CreateName(_name);
}

/// <summary>
/// What the window stages' logics share: the groups come in, the shares cut and not yet pushed wait
/// in order. A stage cuts several at once (a group spanning windows, a watermark closing several) and
/// pushes one per pull.
/// </summary>
internal abstract class WindowStageLogic : TimerGraphStageLogic
{
    private readonly Queue<WindowShare> _shares = new();
    private readonly FlowShape<IEnumerable<ArrivedReading>, WindowShare> _shape;

    protected WindowStageLogic(FlowShape<IEnumerable<ArrivedReading>, WindowShare> shape)
        : base(shape)
    {
        _shape = shape;
        SetHandler(shape.Inlet, onPush: () => OnGroup(Grab(shape.Inlet)), onUpstreamFinish: OnFinish);
        SetHandler(shape.Outlet, onPull: PushShares);
    }

    /// <summary>Folds a group in; the next is pulled after.</summary>
    protected abstract void OnReadings(IEnumerable<ArrivedReading> group);

    /// <summary>Stopping: every open window is reported as it is, so that its readings can still be settled.</summary>
    protected abstract void CloseAll();

    protected void PullReadings() => Pull(_shape.Inlet);

    protected void Enqueue(WindowShare share) => _shares.Enqueue(share);

    /// <summary>Pushes the oldest share if downstream wants one; completes the stage once the input finished and nothing is left.</summary>
    protected void PushShares()
    {
        if (_shares.Count > 0 && IsAvailable(_shape.Outlet))
        {
            Push(_shape.Outlet, _shares.Dequeue());
        }

        if (_shares.Count == 0 && IsClosed(_shape.Inlet))
        {
            CompleteStage();
        }
    }

    private void OnGroup(IEnumerable<ArrivedReading> group)
    {
        OnReadings(group);
        PushShares();
        PullReadings();
    }

    private void OnFinish()
    {
        CloseAll();
        PushShares();
    }
}
