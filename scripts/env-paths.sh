# Sourced by the environment scripts: where goimg's test services live. The defaults are the
# contract with the tests (test/helpers/env.ts). GOIMG_ENV_NAME=other gives a second, fully
# separate environment (own socket, data root, pidfiles, registry storage, rootfs cache), e.g. to
# measure a setup from scratch or to test teardown without touching the shared one;
# GOIMG_REGISTRY_ADDR then picks its registry's address.
GOIMG_ENV_NAME=${GOIMG_ENV_NAME:-goimg}
ENGINE_SOCK=/tmp/$GOIMG_ENV_NAME-dockerd.sock
ENGINE_DATA_ROOT=/var/lib/$GOIMG_ENV_NAME-docker
ENGINE_EXEC_ROOT=/var/run/$GOIMG_ENV_NAME-docker
ENGINE_PIDFILE=/var/run/$GOIMG_ENV_NAME-docker.pid
ENGINE_LOG=/tmp/$GOIMG_ENV_NAME-dockerd.log
REGISTRY_ADDR=${GOIMG_REGISTRY_ADDR:-127.0.0.1:5055}
REGISTRY_STORAGE=/tmp/$GOIMG_ENV_NAME-registry
REGISTRY_CONFIG=/tmp/$GOIMG_ENV_NAME-registry.yml
REGISTRY_PIDFILE=/tmp/$GOIMG_ENV_NAME-registry.pid
REGISTRY_LOG=/tmp/$GOIMG_ENV_NAME-registry.log
STANDIN_CACHE=${GOIMG_STANDIN_CACHE:-/var/cache/$GOIMG_ENV_NAME}
