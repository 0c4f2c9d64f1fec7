# herald in a container, for GitLab CI and other runners: a static musl binary on Alpine
# (git is there because `herald build` reads the plans' history, and GitLab's runner needs a
# shell). GitLab: `image: { name: ghcr.io/kyma-project/herald:0.1.0, entrypoint: [""] }`.
#   docker build -t herald . && docker run --rm -v "$PWD:/plans" -w /plans herald check
FROM rust:1.95-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
RUN cargo build --release --locked && strip target/release/herald

FROM alpine:3.22
RUN apk add --no-cache git
COPY --from=build /src/target/release/herald /usr/local/bin/herald
# The plans are mounted here, owned by someone else: git must still read their history.
RUN git config --system --add safe.directory '*'
WORKDIR /plans
ENTRYPOINT ["herald"]
CMD ["--help"]
