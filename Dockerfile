# The image of either node, by build argument. From the repository root:
#   docker build --build-arg PROJECT=Aggregator -t actordemo/aggregator:0.1.0 .
#   docker build --build-arg PROJECT=Sensors -t actordemo/sensors:0.1.0 .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG PROJECT=Aggregator
WORKDIR /src
COPY . .
# The executable is renamed "node" so that one entry point serves both images (its apphost still
# finds its own assembly by the name built into it).
RUN dotnet publish src/${PROJECT} -c Release -o /app && mv /app/ActorDemo.${PROJECT} /app/node

# The ASP.NET runtime: the node serves its inspection endpoint, probes and metrics with Kestrel.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
# The image's unprivileged user; pods also run it on a read-only root with /tmp on an emptyDir.
USER $APP_UID
ENV DOTNET_EnableDiagnostics=0
# A 64 MiB young generation (by default the runtime gives it 6 MiB at most here): a reading lives
# for its settlement, tens of milliseconds, and a small one promoted most of them to older
# generations, so a node at 100,000 readings/s spent its CPU collecting them (docs/benchmarks.md,
# 2026-12-04). The runtime reads this setting only from the environment, not runtimeconfig.json.
ENV DOTNET_GCgen0size=0x4000000
# remoting, management (/alive, /ready, /metrics, bootstrap), inspection (cmd, the dashboard)
EXPOSE 4053 8558 9110
ENTRYPOINT ["./node"]
