#!/bin/sh
# The main job on the shipped examples.
set -e
cd "$(dirname "$0")/.."
bin/flopgate estimate examples/runs/*.yaml
