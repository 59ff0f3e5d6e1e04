using Akka.Event;
using Akka.Streams;
using Akka.Streams.Stage;
using Amqp;
using Error = Amqp.Framing.Error;

namespace ActorDemo.Amqp;

/// <summary>
/// The connection life cycle shared by the AMQP source and sink: connect without blocking,
/// notice a lost connection or link, log each change of state once, reconnect with
/// exponential backoff and fail the stage only on an error that retrying cannot cure.
/// Every AMQPNetLite callback enters the stage through an async callback.
/// </summary>
internal abstract class AmqpLinkLogic : TimerGraphStageLogic
{
    private const string ReconnectTimer = "reconnect";

    /// <summary>Errors that no retry can cure; the stage fails with them.</summary>
    private static readonly HashSet<string> Unrecoverable =
    [
        ErrorCode.UnauthorizedAccess,
        ErrorCode.NotImplemented,
        ErrorCode.InvalidField,
    ];

    private readonly AmqpEndpoint _endpoint;
    private readonly ReconnectSettings _reconnect;
    private readonly Action<(int Generation, Connection? Connection, Exception? Error)> _onConnected;
    private readonly Action<(int Generation, Error? Error)> _onLost;
    private readonly Action<int> _onAttached;
    private Connection? _connection;
    private int _generation;
    private int _failedAttempts;
    private bool _stopping;

    protected AmqpLinkLogic(Shape shape, AmqpEndpoint endpoint, string address, ReconnectSettings reconnect, AmqpLinkMetrics metrics)
        : base(shape)
    {
        _endpoint = endpoint;
        _reconnect = reconnect;
        Address = address;
        Metrics = metrics;
        _onConnected = GetAsyncCallback<(int, Connection?, Exception?)>(OnConnected);
        _onLost = GetAsyncCallback<(int, Error?)>(OnLost);
        _onAttached = GetAsyncCallback<int>(OnAttached);
    }

    protected string Address { get; }

    protected AmqpLinkMetrics Metrics { get; }

    /// <summary>Increases with every new link, so that callbacks of a dead link can be told apart.</summary>
    protected int Generation => _generation;

    public override void PreStart()
    {
        // Links outlive closed ports: the sink still settles after upstream completes.
        SetKeepGoing(true);
        Connect();
    }

    public override void PostStop()
    {
        _stopping = true;
        if (Metrics.State != LinkStatus.Failed)
        {
            Metrics.SetState(LinkStatus.Closed);
        }

        CloseConnection();
    }

    /// <summary>Creates the link on a fresh session; <paramref name="onAttached"/> fires once the peer attached it.</summary>
    protected abstract void OpenLink(Session session, OnAttached onAttached);

    /// <summary>The link is gone; what it held unsettled must be dealt with.</summary>
    protected abstract void OnLinkLost();

    /// <summary>Fails the stage for good.</summary>
    protected virtual void Fail(Exception cause) => FailStage(cause);

    /// <summary>Closes the link and connection; used when the stage is done.</summary>
    protected void CloseConnection()
    {
        var connection = _connection;
        _connection = null;
        _generation++;
        if (connection is not null)
        {
            _ = connection.CloseAsync().ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        }
    }

    /// <summary>Callbacks of AMQPNetLite objects report a lost link through this.</summary>
    protected ClosedCallback LostCallback(int generation) => (_, error) => _onLost((generation, error));

    protected override void OnTimer(object timerKey)
    {
        if (Equals(timerKey, ReconnectTimer))
        {
            Connect();
        }
        else
        {
            OnStageTimer(timerKey);
        }
    }

    /// <summary>A timer of the stage's own, other than the reconnect.</summary>
    protected virtual void OnStageTimer(object timerKey)
    {
    }

    private void Connect()
    {
        var generation = ++_generation;
        _ = _endpoint.ConnectAsync().ContinueWith(
            t => _onConnected((generation, t.IsCompletedSuccessfully ? t.Result : null, t.Exception?.GetBaseException())),
            TaskScheduler.Default);
    }

    private void OnConnected((int Generation, Connection? Connection, Exception? Error) result)
    {
        if (result.Generation != _generation || _stopping)
        {
            _ = result.Connection?.CloseAsync();
            return;
        }

        if (result.Connection is null)
        {
            var error = result.Error is AmqpException amqp ? amqp.Error : new Error(ErrorCode.ConnectionForced) { Description = result.Error?.Message };
            Retry(error, "cannot connect to");
            return;
        }

        _connection = result.Connection;
        _connection.AddClosedCallback(LostCallback(result.Generation));
        try
        {
            var session = new Session(_connection);
            session.AddClosedCallback(LostCallback(result.Generation));
            OpenLink(session, (_, _) => _onAttached(result.Generation));
        }
        catch (AmqpException e)
        {
            OnLost((result.Generation, e.Error));
        }
    }

    private void OnAttached(int generation)
    {
        if (generation != _generation || _connection is null)
        {
            return;
        }

        if (_failedAttempts > 0 || Metrics.State != LinkStatus.Attached)
        {
            Log.Info("AMQP link to '{0}' at {1} attached", Address, _endpoint);
        }

        _failedAttempts = 0;
        Metrics.SetState(LinkStatus.Attached);
    }

    private void OnLost((int Generation, Error? Error) lost)
    {
        if (lost.Generation != _generation || _connection is null || _stopping)
        {
            return;
        }

        CloseConnection();
        OnLinkLost();
        Metrics.OnReconnect();
        Retry(lost.Error, "lost the link to");
    }

    private void Retry(Error? error, string what)
    {
        var description = Describe(error);
        if (error is not null && Unrecoverable.Contains(error.Condition.ToString()))
        {
            Metrics.SetState(LinkStatus.Failed, description);
            var failure = new AmqpLinkException($"AMQP link to '{Address}' at {_endpoint} failed for good ({description}); {Remedy(error, _endpoint.SettingName)}");
            Log.Error(failure.Message);
            Fail(failure);
            return;
        }

        var delay = _reconnect.Delay(_failedAttempts);
        if (_failedAttempts == 0)
        {
            // One line per change of state; the retries that follow are quiet.
            Log.Warning("AMQP {0} '{1}' at {2} ({3}); reconnecting with backoff from {4:0} ms", what, Address, _endpoint, description, delay.TotalMilliseconds);
        }
        else
        {
            Log.Debug("AMQP reconnect attempt {0} to {1} failed ({2}); next in {3:0} ms", _failedAttempts, _endpoint, description, delay.TotalMilliseconds);
        }

        _failedAttempts++;
        Metrics.SetState(LinkStatus.Reconnecting, description);
        ScheduleOnce(ReconnectTimer, delay);
    }

    private static string Describe(Error? error) => error is null ? "closed by the peer" : $"{error.Condition}: {error.Description}";

    /// <summary>What to do about an error no retry cures, naming the settings as the host names them.</summary>
    private static string Remedy(Error error, SettingName name) => error.Condition.ToString() switch
    {
        ErrorCode.UnauthorizedAccess =>
            $"the router refused the credentials: check {name(nameof(AmqpEndpoint.User))} and {name(nameof(AmqpEndpoint.Password))} (or the URL's user:password) against the router's users",
        ErrorCode.NotImplemented when error.Description?.Contains("sasl-mechanisms", StringComparison.Ordinal) == true =>
            $"the router offers none of the SASL mechanisms we use (PLAIN with {name(nameof(AmqpEndpoint.User))}, ANONYMOUS without): give a user if the router requires one, or none if it only allows anonymous access",
        _ => "check the URL, the credentials and the address",
    };
}

/// <summary>An AMQP link failed in a way that retrying cannot cure.</summary>
public sealed class AmqpLinkException(string message) : Exception(message);
