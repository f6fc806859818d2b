/* Sign-up form state: fields, focus, editing with the on-screen or a
 * physical keyboard, and validation. Pure: no SDL, no I/O, no clock, no heap.
 *
 * The Form is a plain value with fixed-size buffers, so the app can embed it
 * and form_clear() can wipe every byte a client typed in place. It knows
 * nothing about the deck: the app converts the deck's field definitions to
 * FormFieldSpecs and keeps labels and messages (which are translatable deck
 * text) itself; this module only reports FormError codes.
 *
 * Editing always happens at the end of the value (there is no cursor).
 * Values are always valid UTF-8 without control or format characters: everything that
 * goes in passes through the same filter.
 */
#ifndef KIOSK_FORM_H
#define KIOSK_FORM_H

#include <stdbool.h>

#include "keyboard.h"

typedef enum { FORM_TEXT, FORM_EMAIL, FORM_PHONE, FORM_CHOICE, FORM_CHECK } FormFieldKind;

/* Where a TEXT field turns the one-shot Shift on by itself: at the start of
 * every word (names), at the start of the value only, or never. */
typedef enum { FORM_CAP_WORDS, FORM_CAP_FIRST, FORM_CAP_NONE } FormCapitalize;

typedef struct {
    FormFieldKind kind;
    bool required;    /* TEXT/EMAIL/PHONE: non-blank; CHOICE: one chosen; CHECK: ticked (consent) */
    int choice_count; /* FORM_CHOICE: number of options */
    int max_bytes;    /* UTF-8 bytes, excluding the NUL; 0 (or out of range) = FORM_VALUE_MAX-1 */
    bool contact;     /* member of the "at least one of" group (phone, email) */
    FormCapitalize capitalize; /* TEXT only */
} FormFieldSpec;

typedef enum {
    FORM_OK,
    FORM_ERR_REQUIRED,     /* required text/choice field blank or unchosen */
    FORM_ERR_EMAIL,        /* not shaped like local@domain.tld */
    FORM_ERR_PHONE,        /* not digits: a letter or a sign a number has not */
    FORM_ERR_PHONE_SHORT,  /* digits only, but fewer than FORM_PHONE_MIN_DIGITS */
    FORM_ERR_PHONE_LONG,   /* digits only, but more than FORM_PHONE_MAX_DIGITS */
    FORM_ERR_NEED_CONTACT, /* every contact field is blank */
    FORM_ERR_CONSENT       /* required checkbox not ticked */
} FormError;

/* A sign-up has a handful of fields (name, email, phone, a choice or two,
 * consent); 12 leaves room without making Form large. */
#define FORM_MAX_FIELDS 12

/* Bytes per value including the NUL. 256 holds the longest email address
 * SMTP can carry (RFC 5321: 254 octets) and a name of over 120 accented
 * letters; the whole Form stays ~3.3 KiB. */
#define FORM_VALUE_MAX 256

/* Phone numbers: at least 6 digits (short local numbers), at most 20 (an
 * E.164 number is at most 15 digits; room for a 00 prefix and an
 * extension). */
#define FORM_PHONE_MIN_DIGITS 6
#define FORM_PHONE_MAX_DIGITS 20

typedef struct {
    FormFieldSpec spec[FORM_MAX_FIELDS];
    int count;
    char value[FORM_MAX_FIELDS][FORM_VALUE_MAX];
    int choice[FORM_MAX_FIELDS]; /* -1 none */
    bool checked[FORM_MAX_FIELDS];
    bool touched[FORM_MAX_FIELDS]; /* left at least once, chosen/ticked, or a submit was tried */
    int focus;                     /* -1 none */
    KbPage page;                   /* keyboard page to show for the focused field */
    bool shift_once;               /* page is shifted until the next insert */
} Form;

/** Copies @p count specs (clamped to 0..FORM_MAX_FIELDS) and clears the form. */
void form_init(Form *f, const FormFieldSpec *specs, int count);

/** Wipes every value, choice, tick and touched flag and unfocuses; the specs
 * stay. The value bytes are overwritten through a volatile pointer so the
 * compiler cannot elide it: the next client must never see the previous
 * one's details. */
void form_clear(Form *f);

/** Focuses @p field (-1 or out of range: none) and marks the previously
 * focused field touched. Chooses the page: PHONE fields get the keypad,
 * EMAIL fields the lower-case letters, TEXT fields the upper-case letters
 * with a one-shot shift where a word starts (see form_insert_text) and
 * lower-case otherwise. Focusing the focused field again changes nothing. */
void form_focus(Form *f, int field);

/** Applies an on-screen key: insert (as form_insert_text), backspace,
 * shift (one-shot: LOWER <-> UPPER, ACCENTS <-> ACCENTS_UPPER), page
 * switches (back to the shifted letters if the one-shot shift is still
 * pending) and done (unfocus, as form_focus(f, -1)). */
void form_apply_key(Form *f, const KeyAction *a);

/** Appends UTF-8 text (an on-screen key or SDL_TEXTINPUT) to the focused
 * TEXT/EMAIL/PHONE field. Invalid UTF-8 bytes, control characters (C0, DEL,
 * C1), line/paragraph separators and format characters (Unicode category
 * Cf: zero-width, bidirectional controls, BOM, soft hyphen) are dropped.
 * Full-width ASCII (U+FF01..U+FF5E), the small forms U+FE50..U+FE6B and
 * superscript/subscript + and = become the ASCII they fold to under NFKC
 * ("＝" is "="), and every Unicode space (no-break, typographic,
 * ideographic) becomes ' ', so trimming ' ' trims them all. Anything else,
 * accented letters included, is kept as typed. Stops at the first code
 * point that does not fit in max_bytes, so a value never ends in a partial
 * code point (a grapheme made of several code points may be cut). Releases
 * the one-shot shift when anything was inserted; then, in a TEXT field that
 * capitalises words, a value ending in a space arms it again, as a phone
 * keyboard does for names ("jane test" typed is "Jane Test"). */
void form_insert_text(Form *f, const char *utf8);

/** Removes the last code point of the focused field. In a TEXT field the
 * one-shot shift then follows where the value ends: armed at a word's start
 * (as capitalize says), released in the middle of a word. */
void form_backspace(Form *f);

/** Chooses option @p choice of a CHOICE field; choosing the chosen option
 * again unselects it. Out-of-range fields or options are ignored. */
void form_choose(Form *f, int field, int choice);

/** Ticks or unticks a CHECK field. */
void form_toggle(Form *f, int field);

/** Validation of one field against its value with leading and trailing
 * spaces trimmed (form_insert_text stores every Unicode space as ' '); the value itself keeps what
 * the client typed. In order:
 *  - blank and required: FORM_ERR_REQUIRED (CHECK: FORM_ERR_CONSENT);
 *  - blank contact field while every contact field is blank:
 *    FORM_ERR_NEED_CONTACT; any other blank optional field is FORM_OK;
 *  - EMAIL: one '@'; a local part of 1..64 bytes without spaces, without a
 *    leading, trailing or doubled '.', and without ",;:<>()[]\"\\"; a domain
 *    of at least two dot-separated labels, none empty, made of letters,
 *    digits, '-' (not at a label's ends) or non-ASCII (IDN), the last label
 *    at least 2 long; at most 254 bytes in all. Otherwise FORM_ERR_EMAIL;
 *  - PHONE: an optional leading '+', then digits and the separators
 *    space - . / ( ), else FORM_ERR_PHONE; then 6..20 digits, else
 *    FORM_ERR_PHONE_SHORT or FORM_ERR_PHONE_LONG.
 * An out-of-range field is FORM_OK. */
FormError form_field_error(const Form *f, int field);

/** True when @p field has an error and it should be shown: after the client
 * left the field (or chose/ticked it) or tried to submit, never while they
 * are still typing their first attempt. */
bool form_should_show_error(const Form *f, int field);

/** True when every field is FORM_OK. */
bool form_valid(const Form *f);

/** Marks every field touched so that every error shows. */
void form_attempt_submit(Form *f);

/** True when the focused field takes typing (TEXT, EMAIL, PHONE), i.e. the
 * app should show the on-screen keyboard. */
bool form_wants_keyboard(const Form *f);

/** The keyboard mode for the focused field (KB_MODE_TEXT when none). */
KbMode form_keyboard_mode(const Form *f);

#endif
