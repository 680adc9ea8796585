/*
 * version.h - the civreport version, printed by --version and recorded in
 * every output's provenance and manifest.
 */
#ifndef CIVREPORT_VERSION_H
#define CIVREPORT_VERSION_H

#define CIVREPORT_VERSION "0.1.0"

#endif
