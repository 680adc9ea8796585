/*
 * unit.h - what a raw figure counts.  Every stage passes figures as
 * integers with their unit: the engine computes them, format.c turns them
 * into text, the doc carries them to the renderers (which scale fen to yuan
 * for a spreadsheet cell or a chart axis, never for text).
 */
#ifndef CIVREPORT_UNIT_H
#define CIVREPORT_UNIT_H

enum unit {
	UNIT_COUNT, /* persons, households, rows, any plain integer */
	UNIT_FEN,   /* money: 1 元 = 100 分, never a floating-point yuan */
};

#endif
