/* Layouts a C header written from BTF must reproduce exactly: VmlinuxHeaderWriterTest compiles this file, writes a
 * header from its BTF, compiles a file using every type of that header and compares the two BTFs type by type. */

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;

struct list_node {
	struct list_node *next, *prev;
};

/* Packed: members off their natural alignment. */
struct packed_header {
	u8 kind;
	u32 length;
	u64 cookie;
} __attribute__((packed));

/* Over-aligned: a member and the record itself aligned beyond their types. */
struct cacheline {
	int counter;
	long hot __attribute__((aligned(64)));
	char tail;
} __attribute__((aligned(128)));

struct holds_aligned {
	char flag;
	struct cacheline line;
	struct packed_header hdr;
	u16 after_packed;
};

/* Bit-fields, with gaps and a field starting in the middle of a unit. */
struct flags {
	unsigned int a: 3;
	unsigned int b: 5;
	unsigned int : 4;
	unsigned int c: 12;
	u64 wide: 40;
	u8 last: 1;
	int signed_bits: 7;
	enum { SMALL_A, SMALL_B } small: 2;
};

/* Anonymous members, nested unions, arrays in several dimensions. */
struct nested {
	union {
		u32 word;
		struct {
			u16 low;
			u16 high;
		};
		u8 bytes[4];
	};
	struct {
		int x, y;
	} point;
	int matrix[3][4][2];
	const char *const names[2];
	volatile u32 status;
	char tail[];
};

/* Function pointers, typedefs of function types, pointers to arrays. */
typedef int handler_fn(struct list_node *node, void *ctx);
typedef handler_fn *handler_ptr;

struct ops {
	handler_fn *on_add;
	handler_ptr on_remove;
	void (*log)(const char *fmt, ...);
	int (*(*table)[4])(int);
	int (*matrix_ptr)[3][4];
	struct ops *(*clone)(const struct ops *restrict from);
};

enum small_enum { SMALL_ONE = 1, SMALL_TWO = 2 } __attribute__((packed));

/* clang 14 writes no BTF_KIND_ENUM64 and cuts 64-bit enumerators to 32 bits. */
#if __clang_major__ >= 15
enum wide_enum { WIDE_LOW = 1, WIDE_HIGH = 0xffffffff00000000ULL };
enum wide_enum wide_enum;
#endif

enum signed_enum { NEGATIVE = -5, POSITIVE = 7 };

union mixed {
	u64 value;
	double real;
	struct packed_header hdr;
	u8 raw[13];
};

/* A union larger than any member (trailing alignment of the whole). */
union aligned_union {
	u8 bytes[3];
	u32 word;
} __attribute__((aligned(8)));

/* A record that only points at one defined later. */
struct early {
	struct late *later;
};

struct late {
	struct early first;
	int value;
};

enum { FREE_CONSTANT_A = 10, FREE_CONSTANT_B = 20 };

struct holds_aligned holds_aligned;
struct flags flags;
struct nested nested;
struct ops ops;
enum small_enum small_enum;
enum signed_enum signed_enum;
union mixed mixed;
union aligned_union aligned_union;
struct late late;
s64 plain;
