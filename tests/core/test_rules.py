"""Every general rule the book states in words, checked against cnnlib ("Words are claims").

A rule in prose is a claim like a number. Each test below is named after the sentence it guards,
quotes it in its docstring with its location (notebook, section), checks it over a grid or with
hypothesis (fixed seed when CI=true), and shows that a deliberately wrong variant of the rule
would fail (``refuted``). Where the book is wrong or leaves a condition unsaid, the test checks the
CORRECT rule and says so; it is never weakened to let the sentence pass. What PyTorch 2.13 and
Keras 3 do is checked in tests/oracle/test_rules_oracle.py (same names, "pytorch"/"keras").
Standard library + pytest + hypothesis only: this runs in ``make test-core``.

Verdicts: ok = holds as written; COND = holds only under a condition the sentence does not state;
FALSE = wrong as written (the test checks the corrected rule). Locations: notebooks/<file>.ipynb
§ section; "glossary"/"teaching" are book/*.md; "errata table" is rendered from
cnnlib/book/sources.py. Set CNNLIB_RULES_COUNTS=<file> to write the number of cases per test.

where                        sentence (abridged)                                      verdict  test_…
---------------------------  -------------------------------------------------------  -------  ------------------------------
01_convolution § Notation    every output size comes from one formula, applied to      ok     every_output_size_comes_from_one_formula_applied_to_each_dimension_separately
                             each spatial dimension separately                                (+ the_one_formula_rounds_down_not_up)
02 § formula, term by term   the formula is applied to the height and the width        ok     (same test)
                             separately (with their own n, k, s, p, d)
07_alexnet § Why 227         PyTorch (and cnnlib) take the floor                        ok     (same test; the_output_size_counts_the_window_positions…)
01 § Notation; Summary       s = 1, p = 0, d = 1: o = n − k + 1, the positions a        ok     with_stride_1_no_padding_no_dilation_the_output_is_n_minus_k_plus_1_…
                             window of width k fits
01 § Sliding window          libraries compute cross-correlation, no flip; an output    ok     (oracle) libraries_compute_cross_correlation_…
                             cell is the sum of products under the window
01 § Channels; Summary;      a filter is as deep as its input; #filters = #output       ok     a_filter_is_as_deep_as_its_input_and_the_number_of_filters_is_…
  Correction box; teaching   channels; every weight learned separately (k·k·C_in)
01 § Channels; 01 Ex. 2;     weights = k·k·C_in·C_out, biases = C_out; n does not       ok     conv2d_has_k_k_cin_cout_weights_and_cout_biases_whatever_the_input_size
  04 § first dense layer;    appear; a conv's weights do not depend on the image size
  08 Ex. 2
01 § Channels                one bias per filter, added to every output cell            ok     one_bias_per_filter_is_added_to_every_output_cell_of_its_channel
01 § Summary; 08 § Case 4    1-d: k·C_in·C_out + C_out (3·5 weights and a bias)         ok     conv1d_has_k_cin_cout_weights_plus_cout_biases
01 § Channels                sharing is why convolutions have so few parameters         COND   a_convolution_has_fewer_weights_than_a_dense_layer_…_when_the_kernel_fits
                             compared with dense layers                                       (a padded kernel larger than the map: 3×3 p1 on 1×1)
01 § Checking Keras          Keras (H, W, C) is cnnlib's channels-first (C, H, W)       ok     keras_hwc_shapes_are_cnnlib_channels_first (+ oracle)
02 § formula, term by term;  n + 2p is the padded input; span d(k−1)+1: k taps, d       ok     the_span_of_a_kernel_is_d_k_minus_1_plus_1_…_padded_input_is_n_plus_2p
  glossary p, d              apart, k when d = 1; p is per side, never the total
02 § formula, term by term   n+2p−d(k−1)−1 is how far the window can move; ⌊/s⌋ counts  ok     the_output_size_counts_the_window_positions_that_fit_in_the_padded_input
                             the steps, +1 the first position
02 § formula; 06 § 227;      3×3, s1, p1 keeps the size; in VGG only the pools shrink   ok     a_3x3_convolution_with_stride_1_and_padding_1_keeps_the_size_and_in_vgg_…
  07 § VGG-16; 07 intro      the map, every pool halves it
02 § Special cases; Summary  'valid' means p = 0, s = 1, d = 1: o = n − k + 1           COND   valid_padding_means_p_0_and_gives_n_minus_k_plus_1_at_stride_1_…
glossary 'valid'             only windows wholly inside the input                       ok       ('valid' is only p = 0; s = 1, d = 1 are conditions of n − k + 1)
02 § Special cases; Summary; 'same' keeps o = n when s = 1; with d = 1 and odd k,       ok     same_padding_keeps_the_size_when_p_is_half_of_k_minus_1_for_odd_k_and_stride_1
  02 Ex. 1; errata E3        p = (k−1)/2 does it
02 § Special cases; Summary  full padding p = k − 1: o = n + k − 1, the largest        COND   full_padding_p_k_minus_1_gives_n_plus_k_minus_1_at_stride_1_…
                             output that still reads an input cell at every position          (s = 1 and d = 1 unstated; glossary states s = 1)
glossary full padding        every window that overlaps the input; n + k − 1 at s = 1   COND   (same test; needs d = 1)
02 § 'same' with a stride;   Keras 'same' for any stride: o = ⌈n/s⌉, total max((⌈n/s⌉  COND   keras_same_gives_ceil_n_over_s_for_any_stride_when_d_is_1_…
  Summary; glossary 'same'   −1)s + d(k−1) + 1 − n, 0), odd one at the bottom/right           ("any stride" only for d = 1: Keras refuses s > 1 with d > 1) (+ oracle)
02 § 'same' with a stride    the formula still holds with 2p replaced by the two        ok     the_one_formula_holds_for_same_with_2p_replaced_by_the_two_unequal_paddings
                             unequal paddings
02 § 'same' with a stride;   PyTorch accepts padding='same' only with stride 1; cnnlib  ok     (oracle) pytorch_accepts_padding_same_only_with_stride_1;
  Summary; Ex. 2; glossary   follows Keras                                                     keras_same_gives_ceil_… (cnnlib side)
02 Ex. 2 (answer)            total padding (⌈n/s⌉ − 1)s + k − n                         COND   keras_same_total_padding_is_…_when_k_is_at_least_s (needs max(…, 0), d = 1)
02 § even kernel; Summary;   an even kernel cannot keep the size with equal padding     COND   an_even_kernel_cannot_keep_the_size_with_equal_padding_at_stride_1_unless_…
  errata E2; teaching        (k = 4: 3 rows, Keras 1 + 2)                                      (stride 1 and odd d: k = 2, d = 2, p = 1 keeps it)
02 § Dilation                a dilated kernel keeps its weights; only the span changes  ok     dilation_changes_only_the_span_in_the_formula_and_not_the_number_of_weights
02 § How the output size     each padding cell on both sides adds 2/s to the fraction;  ok     each_padding_cell_on_both_sides_adds_2_over_s_to_the_fraction_…
  moves                      a larger stride divides everything
02 § Rows never read         rows are dropped when s does not divide n + 2p − d(k−1)    FALSE  rows_are_left_unread_exactly_when_s_does_not_divide_n_plus_2p_minus_d_k_minus_1_minus_1
02 Summary; 02 Ex. 3;        the floor drops a remainder: rows after the last window    ok     an_exact_division_reads_every_row_and_a_floored_one_leaves_the_remainder_unread
  03 Ex. 2; 03 Summary;      are never read; exact division ⇒ every row read                   (the remainder may be padding only: input rows lost = max(0, r − p))
  06 § 227
02 § Try it; 06 § 227        impossible exactly when the span exceeds the padded        ok     a_setting_is_impossible_exactly_when_the_kernel_span_exceeds_the_padded_input
                             input; a floored division is not an error
03 intro; § No parameters;   pooling has no parameters and keeps the channels (works    ok     pooling_has_no_parameters_and_keeps_the_number_of_channels (+ oracle)
  Summary; glossary          on each channel separately)
glossary parameter           pooling, activation and dropout layers have none           COND   activation_and_dropout_layers_have_no_parameters_except_prelu
03 § one formula; Summary;   stride defaults to the window, so windows do not overlap   COND   the_pooling_stride_defaults_to_the_window_so_windows_do_not_overlap_unless_dilated
  playground                 unless asked to; AlexNet's 3×3/2 overlaps                         (d = 1: a dilated pool overlaps by default)
03 § one formula; Summary    pooling sizes follow the same formula as convolutions      ok     pooling_sizes_follow_the_same_formula_as_convolutions
03 § Odd sizes; intro        2×2/2 floor drops the last row and column of an odd map    ok     a_2x2_stride_2_pool_loses_the_last_row_and_column_of_an_odd_sized_map_…
08 § Post 002                in general it is ⌊(n − k)/s⌋ + 1                            COND   a_pool_without_padding_gives_n_minus_k_over_s_rounded_down_plus_1_…
errata table (borderline)    any non-overlapping pool once rounded down; windows that   COND     (p = 0, d = 1; "overlap (k ≠ s)": k < s leaves gaps, not overlap)
                             overlap (k ≠ s) need ⌊(n − k)/s⌋ + 1
03 § ceil_mode; Summary;     ceil_mode rounds up, adds a window over the edge, drops    ok     ceil_mode_rounds_up_but_drops_a_last_window_that_would_start_in_the_right_padding
  glossary ceil_mode         one that would start in the right padding ((o−1)s ≥ n+p)
03 § Odd sizes               if the border matters, pad before pooling or use ceil mode COND   ceil_mode_reads_the_last_row_when_the_window_is_at_least_the_stride (k ≥ s)
03 § ceil_mode               Keras has no ceil_mode; its 'same' pooling gives ⌈n/s⌉      ok     keras_same_pooling_gives_ceil_n_over_s (+ oracle)
03 § Try it                  pooling padding may be at most half the window             ok     pooling_padding_may_be_at_most_half_the_window (+ oracle)
03 § GAP; Summary; Ex. 5     global average pooling: each channel becomes one number,   ok     global_average_pooling_turns_c_h_w_into_c_numbers_and_has_no_parameters
                             its mean; C×H×W → C                                               (+ oracle: the mean)
03 § GAP; Summary            it removes most of the dense layer's weights               COND   global_average_pooling_removes_most_…_unless_the_map_is_tiny (C·H·W > 2C + 1)
03 § Max and average         max keeps the strongest response, average the mean         ok     (oracle) max_pooling_takes_the_largest_value_and_average_pooling_the_mean_…
04 § Flatten; Summary        Flatten gives C·H·W values, no parameters; frameworks      ok     flatten_gives_c_h_w_values_and_has_no_parameters (+ oracle: the orders)
                             order them differently, same length
04 § dense layer; Summary    params = (in + 1)·out wherever it sits; in = C·H·W after   ok     a_dense_layer_has_in_plus_1_times_out_parameters_wherever_it_sits
                             a conv/pool, = the neurons after a dense layer
04 § one pooling layer;      removing a pool / changing the input size leaves the       ok     changing_the_input_size_or_removing_a_pool_changes_only_fc1_not_the_convolutions
  07 § Other sizes; Summary  convolutions unchanged; only fc1 (and the total) changes
04 intro, § dominates,       most parameters of the classic networks are in the dense   ok     in_the_classic_networks_the_dense_layers_hold_most_parameters_and_the_…
  Summary; 06 § parameters   layers, fc1 the most; convolutions do most of the MACs
  live; 06 intro, Summary;   (VGG: nearly all)
  07 § shapes at a glance
04 Summary                   every pooling layer before Flatten divides fc1 by about 4  COND   a_2x2_pool_before_flatten_divides_…_by_four_exactly_on_even_maps
                                                                                              (2×2/2 pools; exactly 4 on even maps, more on odd)
05 § 1×1 mixes channels;     1×1: C_in·C_out weights (+ C_out), H and W do not change,  COND   a_1x1_convolution_has_cin_cout_weights_and_keeps_height_and_width_at_stride_1
  Summary; errata E5         reduce or expand                                                  (s = 1: ResNet-50's 1×1 s2 shortcuts halve the map)
05 § bottleneck; intro       a 1×1 conv is a dense layer applied to every pixel; looks  ok     a_1x1_convolution_is_a_dense_layer_applied_to_every_pixel_with_the_same_weights
                             at one pixel at a time                                            (+ oracle: values)
05 § bottleneck              the same factor fewer MACs (same grid); the middle width   ok     a_bottleneck_saves_the_same_factor_in_macs_as_in_weights_since_every_layer_…
                             decides how much is saved
05 § Try it: channel counts  a bottleneck wider than the block costs more; fewer        ok     a_bottleneck_wider_than_its_block_costs_more_than_the_plain_convolution
                             weights (converse false: m ≳ 0.895·C costs more too)
05 § Inception               branches padded to keep the size, concatenated; a naive    ok     inception_branches_keep_the_size_and_a_naive_module_is_wider_than_its_input
                             module is wider than its input
05 § GoogLeNet; intro        GoogLeNet has fewer parameters than AlexNet's fc1; every   ok     googlenet_has_fewer_parameters_than_alexnets_first_dense_layer
                             conv followed by batch norm instead of a bias
05 § next step; glossary     groups g: k·k·(C_in/g)·C_out; depthwise filters k·k;       ok     groups_g_give_k_k_cin_over_g_cout_weights_so_g_2_halves_them_and_…
  C_in/C_out, g; 06 § Two    g = 2 halves the weights; groups do not see each other            (+ oracle: independence)
  GPUs
05 § next step; 06 § Two     AlexNet's two-GPU layers are g = 2 (conv2, 4, 5); conv3    ok     alexnets_two_gpu_layers_conv2_conv4_conv5_are_groups_2_and_conv3_sees_all_…
  GPUs                       sees all channels
05 § next step; Summary;     depthwise-separable: k·k·C_in + C_in·C_out weights         ok     depthwise_separable_needs_k_k_cin_plus_cin_cout_weights_instead_of_k_k_cin_cout
  glossary
05 § after separable table   the saving is 1/(1/C_out + 1/k²), approaching ×9 for 3×3   ok     the_separable_saving_is_1_over_1_over_cout_plus_1_over_k2_and_approaches_9_for_3x3
glossary bottleneck          1×1 reduce, 3×3, 1×1 expand (ResNet-50)                    ok     resnet50s_bottleneck_is_a_1x1_reduce_a_3x3_and_a_1x1_expand
06 § Try other sizes         exact sizes come one every 4·2·2·2 pixels                   ok     alexnets_exact_input_sizes_come_one_every_4_2_2_2_pixels
07 § Other sizes; Summary    any multiple of 32 works exactly; fc1 takes 512·(n/32)²    ok     vgg_works_exactly_on_any_multiple_of_32_with_512_n_over_32_squared_fc1_inputs
06 § Try other sizes         below the smallest input a pooling window no longer fits   ok     below_alexnets_smallest_input_a_pooling_window_no_longer_fits
06 § torchvision; Summary    adaptive pool fixes 6×6 whatever the input; same total     COND   torchvisions_alexnet_has_the_same_fc1_inputs_and_total_at_any_accepted_…
                             "at any size"                                                     (any size it accepts, ≥ 63)
06 § parameters live;        a MAC once per output position, conv: outputs ×            ok     a_convolution_does_output_elements_times_cin_over_g_k2_macs_and_a_dense_…
  glossary MAC; 06 Ex. 3     (C_in/g)·k², dense: each weight once; bias adds excluded          (+ oracle: PyTorch's FlopCounterMode = 2 × MACs)
06 Ex. 3                     conv2 is the most expensive layer                          ok     conv2_is_alexnets_most_expensive_layer
06, 07 § shapes at a glance  one box per layer output; ReLU and dropout get none        ok     the_shapes_diagram_has_one_box_per_layer_output_and_none_for_relu_or_dropout
errata § Two mistakes; 06    no layer between pool2 and pool3 changes H and W           ok     no_alexnet_layer_between_the_second_and_third_pool_changes_height_and_width
06 § 227; playground; 07     the total is the sum of the params column (= weights +     ok     a_models_total_is_the_sum_of_its_params_column
  § Block by block           biases)
07 § family; § Why stacks;   configurations differ only in convs per block; classifier  ok     the_four_vgg_configurations_differ_only_in_how_many_3x3_convolutions_each_…
  § shapes; § Block by block 4096/4096/1000; ReLU after every layer; channels double
                             up to 512; the convolutions have biases
07 § family; glossary        BatchNorm: a scale and a shift per channel, 2C; running    ok     batch_norm_adds_2c_parameters_per_convolution_and_keeps_running_statistics_…
  parameter, buffer          mean/var are buffers (Keras: non-trainable)                       (+ oracle)
07 § Block by block          (n·m·k + 1)·L for an n×m kernel, k in and L out maps       ok     an_n_by_m_kernel_over_k_input_maps_and_l_output_maps_has_n_m_k_plus_1_times_l_…
07 § Why stacks; glossary    two 3×3 see 5×5, three 7×7; the field grows by k − 1 = 2   COND   the_receptive_field_grows_by_k_minus_1_per_stride_1_layer_and_by_…_the_jump_…;
  receptive field            per layer "(chapter 2)"                                           stacked_3x3_convolutions_see_5x5_and_7x7_only_at_stride_1
                                                                                              (stride 1 / jump 1, d = 1; chapter 2 never mentions receptive fields)
07 § Why stacks; Summary;    L stacked 3×3: 9·L·C² weights vs (2L+1)²·C² for one        ok     a_stack_of_l_3x3_convolutions_has_9_l_c2_weights_against_2l_plus_1_squared_…
  Ex. 3                      kernel with the same field
07 § Activation memory       VGG-16: input + every conv, pool and dense output          ok     activation_memory_is_the_input_plus_every_conv_pool_dense_and_normalisation_output
glossary activation memory   the input plus every conv, pool and dense output; 4 B      COND     (networks without normalisation: cnnlib also counts BatchNorm and LRN)
07 § Activation memory       memory is spent early, the parameters sit at the end       ok     in_vgg_activation_memory_is_spent_early_and_the_parameters_sit_at_the_end
07 § Activation memory;      training ≈ 2 × forward activations + parameters and their  ok     training_memory_is_twice_the_activations_plus_twice_the_parameters_before_…
  Summary                    gradients, before optimizer state
07 intro; errata; glossary;  MB = 10⁶ B, MiB = 2²⁰ B; torchinfo prints MB, Keras MiB     ok     mb_is_10_to_the_6_bytes_and_mib_is_2_to_the_20 (+ oracle: torchinfo, Keras)
  playground
07 Ex. 4                     doubling the side quadruples every map, not dense outputs  ok     doubling_the_input_side_quadruples_every_map_but_not_the_dense_outputs
08 § Post 002; § biases      bias-free total = conv weights + flat·n; biases add one    ok     the_bias_free_face_net_total_is_its_convolution_weights_plus_flat_times_n_…
                             per filter and one per neuron
08 § Case 1 (E16); errata    ReLU looks at one number; softmax changes every output     ok     (oracle) relu_looks_at_one_number_at_a_time_and_softmax_changes_every_output_…
08 Summary; 08 § Post 002    Conv1D: (k·C_in + 1)·C_out, L_out = (L − k)/s + 1           FALSE  conv1d_counts_like_conv2d_with_one_axis_and_its_length_is_l_minus_k_over_s_…
  (E6: "(n − k)/s + 1")                                                                        (needs ⌊ ⌋, and p = 0, d = 1)
playground § When a layer    a layer that cannot run stops the build; the message       ok     a_layer_that_cannot_run_stops_the_build_with_a_message_naming_it_and_the_…
  cannot run; Summary        names it (position, name) and the formula that fails

Corrected wording for every FALSE and COND rule: the test's docstring (and the report of the
branch rules-tests).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cnnlib
from cnnlib import (
    AdaptiveAvgPool1d,
    AdaptiveAvgPool2d,
    AdaptiveMaxPool1d,
    AdaptiveMaxPool2d,
    AvgPool1d,
    AvgPool2d,
    AvgPool3d,
    BatchNorm2d,
    Conv1d,
    Conv2d,
    Conv3d,
    Dense,
    Flatten,
    GlobalAvgPool1d,
    GlobalAvgPool2d,
    GlobalMaxPool1d,
    GlobalMaxPool2d,
    MaxPool1d,
    MaxPool2d,
    MaxPool3d,
    Sequential,
    ShapeError,
    conv_output_size,
    effective_kernel,
    pool_output_size,
    receptive_field,
    same_padding,
    zoo,
)
from cnnlib.analysis import share_by_kind, window_steps
from cnnlib.arithmetic import conv_window, pool_window
from cnnlib.calculators import explain_conv
from cnnlib.costs import bottleneck_costs, inception_costs, separable_costs
from cnnlib.diagram import diagram_rows
from cnnlib.errors import DimensionProblem
from cnnlib.memory import Memory, megabytes
from cnnlib.playground import build as playground_build
from cnnlib.shapes import shape_text, shape_tuple

# ----------------------------------------------------------------------- helpers

#: how many cases each test checked (written to $CNNLIB_RULES_COUNTS as JSON when it is set)
CASES: Counter = Counter()


def checked(n: int = 1) -> None:
    """Count `n` checked cases for the running test (the report's "examples per rule")."""
    name = os.environ.get("PYTEST_CURRENT_TEST", "?").split("::")[-1].split(" ")[0].split("[")[0]
    CASES[name] += n


@pytest.fixture(scope="module", autouse=True)
def _write_counts():
    yield
    path = os.environ.get("CNNLIB_RULES_COUNTS")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(dict(sorted(CASES.items())), f, indent=1)


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def book_o(n, k, s=1, p=0, d=1):
    """The book's one formula, o = ⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1, or None when the kernel's span
    is larger than the padded input (the value would be < 1)."""
    num = n + 2 * p - d * (k - 1) - 1
    return None if num < 0 else num // s + 1


def cnn_conv(n, k, s=1, p=0, d=1):
    """cnnlib's convolution size, None where it raises ShapeError."""
    try:
        return conv_output_size(n, k, stride=s, padding=p, dilation=d)
    except ShapeError:
        return None


def cnn_pool(n, k, s=None, p=0, d=1, ceil_mode=False):
    try:
        return pool_output_size(n, k, stride=s, padding=p, dilation=d, ceil_mode=ceil_mode)
    except ShapeError:
        return None


def starts_by_counting(n, k, s, p, d):
    """Window starts (padded coordinates, 0 = first padding cell) found by sliding a window of span
    d(k − 1) + 1 by s until it would leave the padded input — no formula."""
    span, t, out = d * (k - 1) + 1, 0, []
    while t + span <= n + 2 * p:
        out.append(t)
        t += s
    return out


def input_cells_read(n, k, s, p, d, starts):
    """Input indices (0 … n − 1) that some tap of some window reads."""
    return {t + j * d - p for t in starts for j in range(k) if 0 <= t + j * d - p < n}


def ceil_mode_starts(n, k, s, p, d=1):
    """PyTorch's ceil-mode windows as chapter 3 describes them, by enumeration: every start
    i·s that the rounded-up division allows (i·s ≤ n + 2p − span + s − 1), except a window that
    would start in the right padding (at padded position ≥ n + p)."""
    span, out, i = d * (k - 1) + 1, [], 0
    while i * s <= n + 2 * p - span + s - 1 and i * s < n + p:
        out.append(i * s)
        i += 1
    return out


def refuted(rule, cases) -> bool:
    """True if `rule(*case)` is False for some case: a deliberately wrong variant of a rule must be
    refuted by the cases a test checks, or the test could not fail."""
    return any(not rule(*c) for c in cases)


SIZE_GRID = list(itertools.product(range(1, 41), range(1, 8), range(1, 6), range(5), range(1, 4)))
"""n 1–40, k 1–7, s 1–5, p 0–4, d 1–3: 21,000 one-dimensional layers."""

sizes = st.one_of(st.integers(1, 60), st.integers(1, 10**6), st.integers(1, 10**40))
small = st.integers(1, 12)


def conv_params(model_rows):
    return [(r.name, r.params) for r in model_rows if r.kind == "conv"]


ALL_VGG = [(d, bn) for d in (11, 13, 16, 19) for bn in (False, True)]


# ============================================================ chapter 1: convolution


@given(nd=st.sampled_from([1, 2, 3]), data=st.data())
def test_every_output_size_comes_from_one_formula_applied_to_each_dimension_separately(nd, data):
    """"Every output size in the book comes from one formula, applied to each spatial dimension
    separately: o = ⌊(n + 2p − d(k − 1) − 1)/s⌋ + 1." (01_convolution, Notation) — and "The formula
    is applied to the height and the width separately (with their own n, k, s, p, d)."
    (02_padding_stride, The formula, term by term); "PyTorch (and cnnlib) take the floor"
    (07_alexnet, Why 227 and not 224).

    Convolutions of 1, 2 and 3 axes with a different n, k, s, p, d on every axis, and max pooling
    in floor mode (p ≤ k/2), against the formula per axis; a kernel wider than the padded input
    must raise. A wrong variant (⌈⌉ instead of ⌊⌋) is refuted on the grid below.
    """
    ns = [data.draw(sizes) for _ in range(nd)]
    ks = [data.draw(small) for _ in range(nd)]
    ss = [data.draw(st.integers(1, 6)) for _ in range(nd)]
    ps = [data.draw(st.integers(0, 6)) for _ in range(nd)]
    ds = [data.draw(st.integers(1, 4)) for _ in range(nd)]
    c_in, c_out = data.draw(st.integers(1, 8)), data.draw(st.integers(1, 8))
    expected = [book_o(*v) for v in zip(ns, ks, ss, ps, ds)]
    layer = {1: Conv1d, 2: Conv2d, 3: Conv3d}[nd](c_out, tuple(ks), stride=tuple(ss), padding=tuple(ps),
                                                   dilation=tuple(ds))
    if None in expected:
        with pytest.raises(ShapeError):
            layer.output_shape((c_in, *ns))
    else:
        assert layer.output_shape((c_in, *ns)) == (c_out, *expected)
    pool_ps = [min(p, k // 2) for p, k in zip(ps, ks)]
    pool_expected = [book_o(*v) for v in zip(ns, ks, ss, pool_ps, ds)]
    pool = {1: MaxPool1d, 2: MaxPool2d, 3: MaxPool3d}[nd](tuple(ks), stride=tuple(ss), padding=tuple(pool_ps),
                                                          dilation=tuple(ds))
    if None in pool_expected:
        with pytest.raises(ShapeError):
            pool.output_shape((c_in, *ns))
    else:
        assert pool.output_shape((c_in, *ns)) == (c_in, *pool_expected)
    checked()


def test_the_one_formula_rounds_down_not_up():
    """The mutant of the test above: with ⌈⌉ instead of ⌊⌋ the formula disagrees with cnnlib (and
    with PyTorch, tests/oracle/test_rules_oracle.py), so the formula test can fail."""
    def ceil_variant(n, k, s, p, d):
        num = n + 2 * p - d * (k - 1) - 1
        return num < 0 or cnn_conv(n, k, s, p, d) == ceil_div(num, s) + 1

    assert refuted(ceil_variant, SIZE_GRID)
    assert all(cnn_conv(*c) == book_o(*c) for c in SIZE_GRID)
    checked(len(SIZE_GRID))


def test_with_stride_1_no_padding_no_dilation_the_output_is_n_minus_k_plus_1_the_positions_a_window_fits():
    """"In this chapter s = 1, p = 0 and d = 1, where it reduces to o = n − k + 1: a window of width
    k fits at n − k + 1 positions." (01_convolution, Notation; again in its Summary)

    Every n ≤ 300 and k ≤ n + 2: the positions are counted by sliding a window (no formula); a
    kernel larger than the input must raise. Wrong variant: n − k.
    """
    cases = [(n, k) for n in range(1, 301) for k in range(1, n + 3)]
    for n, k in cases:
        fits = sum(1 for i in range(n) if i + k <= n)
        if k > n:
            assert cnn_conv(n, k) is None
        else:
            assert cnn_conv(n, k) == n - k + 1 == fits
    assert refuted(lambda n, k: k > n or cnn_conv(n, k) == n - k, cases)
    checked(len(cases))


def test_a_filter_is_as_deep_as_its_input_and_the_number_of_filters_is_the_number_of_output_channels():
    """"A filter is as deep as its input. On an input with C_in channels, each filter is
    k × k × C_in … One filter therefore produces one output channel." and "The number of filters is
    the number of output channels." (01_convolution, Channels: the depth of a filter and the number
    of filters); "Every weight is learned separately; nothing is copied across channels."
    (01_convolution, Summary; the Correction box: "exactly k·k·C_in (or k·C_in) weights per filter
    plus one bias").

    Wrong variant (a k×k kernel copied over the channels: k·k weights per filter) is refuted
    whenever C_in > 1.
    """
    cases = list(itertools.product(range(1, 17), range(1, 17), range(1, 6)))
    for c_in, c_out, k in cases:
        layer = Conv2d(c_out, k)
        shape = (c_in, k + 3, k + 5)
        assert layer.output_shape(shape)[0] == c_out
        assert layer.weights(shape) == c_out * (k * k * c_in)
        assert layer.weights(shape) // c_out == k * k * c_in
        one_d = Conv1d(c_out, k)
        assert one_d.weights((c_in, k + 4)) == c_out * (k * c_in)
    assert refuted(lambda c_in, c_out, k: Conv2d(c_out, k).weights((c_in, 9, 9)) == c_out * k * k, cases)
    checked(len(cases))


@given(kh=small, kw=small, c_in=st.integers(1, 512), c_out=st.integers(1, 512), bias=st.booleans(),
       h=st.integers(0, 300), w=st.integers(0, 300))
def test_conv2d_has_k_k_cin_cout_weights_and_cout_biases_whatever_the_input_size(kh, kw, c_in, c_out, bias, h, w):
    """"weights = k · k · C_in · C_out, biases = C_out … The input size n does not appear: the same
    filter is used at every position." (01_convolution, Channels); "A convolution's weights do not
    depend on the size of the image" (04_dense, Why the first dense layer dominates); "The input
    size never enters the count." (01_convolution, Exercises).

    Two different input sizes (both at least the kernel) give the same counts.
    """
    layer = Conv2d(c_out, (kh, kw), bias=bias)
    a, b = (c_in, kh + h, kw + w), (c_in, kh + 2 * h + 7, kw + 3)
    assert layer.weights(a) == layer.weights(b) == kh * kw * c_in * c_out
    assert layer.biases(a) == layer.biases(b) == (c_out if bias else 0)
    checked()


@given(k=small, c_in=st.integers(1, 64), c_out=st.integers(1, 64), s=st.integers(1, 4), p=st.integers(0, 3),
       h=st.integers(1, 80), w=st.integers(1, 80), bias=st.booleans())
def test_one_bias_per_filter_is_added_to_every_output_cell_of_its_channel(k, c_in, c_out, s, p, h, w, bias):
    """"(one bias per filter, added to every output cell of that filter's channel)"
    (01_convolution, Channels): C_out biases and C_out·H_out·W_out bias additions."""
    layer = Conv2d(c_out, k, stride=s, padding=p, bias=bias)
    shape = (c_in, h, w)
    oh, ow = book_o(h, k, s, p), book_o(w, k, s, p)
    if oh is None or ow is None:
        with pytest.raises(ShapeError):
            layer.facts(shape)
        return
    f = layer.facts(shape)
    assert f.biases == (c_out if bias else 0)
    assert f.bias_adds == (c_out * oh * ow if bias else 0)
    checked()


def test_conv1d_has_k_cin_cout_weights_plus_cout_biases():
    """"for 1-d data, k · C_in · C_out + C_out" (01_convolution, Summary); "A filter of size 3 covers
    3 steps × all 5 channels, so it has 3·5 weights and a bias." (12_worked_examples, Case 4)."""
    cases = list(itertools.product(range(1, 12), range(1, 20), range(1, 20), (True, False)))
    for k, c_in, c_out, bias in cases:
        layer = Conv1d(c_out, k, bias=bias)
        shape = (c_in, k + 20)
        assert layer.weights(shape) == k * c_in * c_out
        assert layer.params(shape) == k * c_in * c_out + (c_out if bias else 0)
    checked(len(cases))


def test_a_convolution_has_fewer_weights_than_a_dense_layer_between_the_same_shapes_when_the_kernel_fits():
    """"That sharing is why convolutions have so few parameters compared with dense layers
    (chapter 4)." (01_convolution, Channels)

    Holds with a condition: a dense layer from the same input to the same output has
    (C_in·H·W)·(C_out·H_out·W_out) weights, never fewer than the convolution's k·k·C_in·C_out
    when the kernel fits in the map (k ≤ H, W); with padding, a kernel larger than the map can
    have more (3×3, p = 1 on a 1×1 map: 9·C_in·C_out against C_in·C_out).
    """
    cases = list(itertools.product(range(1, 13), range(1, 13), range(1, 8), range(3), range(1, 3)))
    for h, w, k, p, s in cases:
        c_in, c_out = 3, 5
        oh, ow = book_o(h, k, s, p), book_o(w, k, s, p)
        if oh is None or ow is None:
            continue
        conv = Conv2d(c_out, k, stride=s, padding=p, bias=False).weights((c_in, h, w))
        dense = Dense(c_out * oh * ow, bias=False).weights((c_in * h * w,))
        if k <= h and k <= w:
            assert conv <= dense
    assert Conv2d(5, 3, padding=1).weights((3, 1, 1)) > Dense(5).weights((3,))  # the exception
    checked(len(cases))


def test_keras_hwc_shapes_are_cnnlib_channels_first():
    """"Keras writes shapes as (height, width, channels) and (length, channels); cnnlib takes them
    channels first, so Keras' input_shape=(10, 10, 1) is (1, 10, 10) here and a Conv1D input of
    shape (100, 5) … is (5, 100)." (01_convolution, Checking Keras summaries); "Shapes in code are
    channels-first tuples, as in PyTorch" (01_convolution, Notation; glossary: channels-first).

    shape_tuple/shape_text write a channels-first shape in H×W×C order for readers; Keras itself
    is compared in tests/oracle/test_rules_oracle.py.
    """
    cases = list(itertools.product(range(1, 9), range(1, 9), range(1, 9)))
    for c, h, w in cases:
        assert shape_tuple((c, h, w), "HWC") == (h, w, c)
        assert shape_tuple((c, h, w), "CHW") == (c, h, w)
        assert shape_text((c, h, w)) == f"{h}×{w}×{c}"
        assert shape_tuple((c, h), "HWC") == (h, c)
        assert shape_tuple((c,), "HWC") == (c,)
    assert shape_tuple((1, 10, 10)) == (10, 10, 1) and shape_tuple((5, 100)) == (100, 5)
    checked(len(cases))


# ======================================================= chapter 2: padding and stride


def test_the_span_of_a_kernel_is_d_k_minus_1_plus_1_k_taps_d_cells_apart_and_the_padded_input_is_n_plus_2p():
    """"n + 2p is the padded input: p zero rows on top and p at the bottom" and "d(k−1) + 1 is the
    span of the kernel: k taps, d cells apart. With d = 1 it is just k." (02_padding_stride, The
    formula, term by term); glossary p ("Padding on each side … this book never [uses p for the
    total]") and d ("the window then spans d(k−1)+1 cells").

    The span is measured from the taps themselves. Wrong variant: span d·k.
    """
    for k, d in itertools.product(range(1, 30), range(1, 30)):
        taps = [j * d for j in range(k)]
        assert effective_kernel(k, d) == taps[-1] - taps[0] + 1 == d * (k - 1) + 1
        if d == 1:
            assert effective_kernel(k, d) == k
    for n, k, s, p, d in SIZE_GRID:
        if book_o(n, k, s, p, d) is None:
            continue
        w = Conv1d(1, k, stride=s, padding=p, dilation=d).windows((1, n))[0]
        assert (w.padded, w.before, w.after, w.span) == (n + 2 * p, p, p, d * (k - 1) + 1)
    assert refuted(lambda k, d: effective_kernel(k, d) == d * k, itertools.product(range(1, 9), range(1, 9)))
    checked(29 * 29 + len(SIZE_GRID))


def test_the_output_size_counts_the_window_positions_that_fit_in_the_padded_input():
    """"n + 2p − d(k−1) − 1 is how far the window can move from its first position before it would
    leave the padded input." and "Dividing by s and rounding down counts the steps of size s that
    fit; +1 counts the first position." (02_padding_stride, The formula, term by term)

    The windows are found by sliding (starts_by_counting), not by the formula: their number is
    cnnlib's output size and the last one starts at most n + 2p − d(k − 1) − 1 cells from the
    first. Wrong variant: ⌈⌉ instead of ⌊⌋ (refuted in test_the_one_formula_rounds_down_not_up).
    """
    for n, k, s, p, d in SIZE_GRID:
        starts = starts_by_counting(n, k, s, p, d)
        room = n + 2 * p - d * (k - 1) - 1
        if not starts:
            assert room < 0 and cnn_conv(n, k, s, p, d) is None
            continue
        assert cnn_conv(n, k, s, p, d) == len(starts) == room // s + 1
        assert starts[-1] <= room < starts[-1] + s
        w = conv_window(n, k, s, p, d)
        assert [t - p for t in starts] == w.starts()
    checked(len(SIZE_GRID))


def test_a_3x3_convolution_with_stride_1_and_padding_1_keeps_the_size_and_in_vgg_only_the_pools_shrink_the_map():
    """"VGG. Every convolution is 3×3 with stride 1 and padding 1, so 224 stays 224: only the pooling
    layers shrink the map." (02_padding_stride, The formula, term by term); "Conv-5 is a 3×3
    convolution with stride 1 and padding 1, which keeps the size of its input" (07_alexnet, The
    network at 227×227); "Every convolution keeps the size (3×3, stride 1, padding 1:
    (n + 2 − 3)/1 + 1 = n), every pool halves it" (08_vgg, VGG-16 layer by layer; and its
    introduction: "plus 2×2 max pools that halve it").

    Every n up to 5000; every row of VGG-11/13/16/19 (with and without batch norm) at every
    multiple of 32 up to 512. Wrong variant: padding 0 keeps the size.
    """
    for n in range(1, 5001):
        assert cnn_conv(n, 3, 1, 1) == n
    assert refuted(lambda n: cnn_conv(n, 3, 1, 0) == n, [(n,) for n in range(3, 50)])
    rows = 0
    for (depth, bn), size in itertools.product(ALL_VGG, range(32, 513, 32)):
        for r in zoo.vgg(depth, batch_norm=bn, input_size=size).rows()[1:]:
            if len(r.out_shape) != 3:
                continue
            rows += 1
            if r.kind == "conv":
                assert r.layer.kernel_size == (3, 3) and r.layer.stride == (1, 1) and r.layer.padding == (1, 1)
                assert r.out_shape[1:] == r.in_shape[1:]
            elif r.kind == "pool":
                assert r.out_shape[1:] == (r.in_shape[1] // 2, r.in_shape[2] // 2)
                assert r.in_shape[1] % 2 == 0 and r.in_shape[2] % 2 == 0  # halves exactly
            else:
                assert r.out_shape[1:] == r.in_shape[1:]
    checked(5000 + rows)


def test_valid_padding_means_p_0_and_gives_n_minus_k_plus_1_at_stride_1_with_every_window_inside_the_input():
    """"'valid' means no padding, p = 0, s = 1, d = 1: o = n − k + 1." (02_padding_stride, Special
    cases are the formula with numbers plugged in; Summary: "'valid': p = 0, o = n − k + 1");
    glossary 'valid' padding: "No padding (p = 0): only windows that lie wholly inside the input."

    Holds with the conditions the sentence lists — but 'valid' fixes only p = 0; s = 1 and d = 1
    are the conditions for n − k + 1, not part of 'valid' (Keras' Conv2D(strides=2,
    padding='valid') exists). Checked: 'valid' is p = 0 for every s and d; its windows lie inside
    the input; n − k + 1 at s = 1, d = 1; and the wrong reading (n − k + 1 for any stride) is
    refuted.
    """
    for n, k, s, _p, d in SIZE_GRID:
        try:
            w = conv_window(n, k, s, "valid", d)
        except DimensionProblem:  # the span does not fit: p = 0 must refuse too
            assert cnn_conv(n, k, s, 0, d) is None
            continue
        assert w.out == cnn_conv(n, k, s, 0, d) and w.before == w.after == 0
        assert all(0 <= t and t + w.span - 1 <= n - 1 for t in w.starts())
        if s == 1 and d == 1:
            assert w.out == n - k + 1
    assert refuted(lambda n, k, s: k > n or cnn_conv(n, k, s, 0) == n - k + 1,
                   itertools.product(range(1, 20), range(1, 5), range(1, 4)))
    checked(len(SIZE_GRID))


def test_same_padding_keeps_the_size_when_p_is_half_of_k_minus_1_for_odd_k_and_stride_1():
    """"'same' keeps o = n when s = 1. With d = 1 and an odd kernel, p = (k−1)/2 on each side does
    it: k = 3 needs p = 1, k = 5 needs p = 2." (02_padding_stride, Special cases …; Summary:
    "'same' (stride 1, odd k): p = (k−1)/2"; Exercise 1: "padding (k−1)/2 keeps the size";
    errata E3: "p = (k − 1)/2 = 2 for k = 5").

    For odd k ≤ 31 and n ≤ 200, p = (k − 1)/2 keeps the size and is the only padding that does;
    'same' keeps it at stride 1 for every kernel and dilation. Wrong variants: the same p at
    stride 2; p = k/2 for an even kernel.
    """
    count = 0
    for n, k in itertools.product(range(1, 201), range(1, 32, 2)):
        assert cnn_conv(n, k, 1, (k - 1) // 2) == n
        assert [p for p in range(k + 1) if cnn_conv(n, k, 1, p) == n] == [(k - 1) // 2]
        count += 1
    for n, k, d in itertools.product(range(1, 61), range(1, 10), range(1, 5)):
        assert conv_output_size(n, k, 1, "same", d) == n
        count += 1
    assert refuted(lambda n, k: cnn_conv(n, k, 2, (k - 1) // 2) == n, itertools.product(range(2, 20), (1, 3, 5)))
    assert refuted(lambda n, k: cnn_conv(n, k, 1, k // 2) == n, itertools.product(range(2, 20), (2, 4, 6)))
    checked(count)


def test_full_padding_p_k_minus_1_gives_n_plus_k_minus_1_at_stride_1_the_largest_output_whose_windows_all_read_input():
    """"Full padding p = k − 1 lets the window start with a single input cell under its corner:
    o = n + k − 1, the largest output that still reads an input cell at every position."
    (02_padding_stride, Special cases …; Summary: "Full: p = k − 1, o = n + k − 1"); glossary
    full padding: "p = k − 1: every window that overlaps the input at all; o = n + k − 1 at
    stride 1."

    Holds with conditions: s = 1 and d = 1 (chapter 2 and its summary state neither; the
    glossary states s = 1). Checked by enumerating windows (d = 1, any stride): every window reads
    an input cell exactly when p ≤ k − 1, so p = k − 1 gives the largest such output, and the
    first and last windows read a single input cell; at s = 1 the windows are exactly the
    positions that overlap the input and o = n + k − 1. Refuted: n + k − 1 at s = 2, and with
    d = 2 (n = 10, k = 3, p = 2 gives 10).
    """
    count = 0
    for n, k, s in itertools.product(range(1, 31), range(1, 9), range(1, 6)):
        outs = {}
        for p in range(k + 3):
            starts = starts_by_counting(n, k, s, p, 1)
            every_window_reads = all(any(0 <= t + j - p < n for j in range(k)) for t in starts)
            assert every_window_reads == (p <= k - 1)
            outs[p] = len(starts)
            count += 1
        assert outs[k - 1] == max(outs[p] for p in range(k))
        starts = starts_by_counting(n, k, s, k - 1, 1)
        assert sum(0 <= starts[0] + j - (k - 1) < n for j in range(k)) == 1  # a single cell
        if s == 1:
            assert cnn_conv(n, k, 1, k - 1) == n + k - 1 == outs[k - 1]
            assert [t - (k - 1) for t in starts] == list(range(-(k - 1), n))  # every overlapping window
            assert sum(0 <= starts[-1] + j - (k - 1) < n for j in range(k)) == 1
    assert refuted(lambda n, k: cnn_conv(n, k, 2, k - 1) == n + k - 1,
                   itertools.product(range(1, 20), range(2, 6)))
    assert cnn_conv(10, 3, 1, 2, 2) == 10 != 10 + 3 - 1
    checked(count)


@given(n=st.one_of(st.integers(1, 100), st.integers(1, 10**30)), k=small, s=st.integers(1, 8), d=st.integers(1, 4))
def test_keras_same_gives_ceil_n_over_s_for_any_stride_when_d_is_1_with_the_odd_padding_at_the_bottom_right(n, k, s, d):
    """"TensorFlow and Keras define padding='same' for any stride as o = ⌈n/s⌉. They add the total
    padding that needs, max((⌈n/s⌉ − 1)s + d(k−1) + 1 − n, 0), and when that total is odd the extra
    row goes to the bottom (the extra column to the right)." (02_padding_stride, 'same' with a
    stride, and an even kernel; Summary: "Keras 'same' with stride s: o = ⌈n/s⌉, the odd padding
    row/column at the bottom/right"); glossary 'same' padding: "pad so that o = ⌈n/s⌉ for any
    stride"; "cnnlib follows Keras (cnnlib.same_padding)".

    Holds with a condition: "for any stride" only when d = 1 — Keras refuses strides > 1 with
    dilation_rate > 1 (tests/oracle/test_rules_oracle.py), and so does cnnlib. Where the padding
    goes is checked against Keras in the oracle test.
    """
    if s > 1 and d > 1:
        with pytest.raises(ShapeError):
            conv_output_size(n, k, stride=s, padding="same", dilation=d)
        checked()
        return
    total = max((ceil_div(n, s) - 1) * s + d * (k - 1) + 1 - n, 0)
    before, after = same_padding(n, k, stride=s, dilation=d)
    assert conv_output_size(n, k, stride=s, padding="same", dilation=d) == ceil_div(n, s)
    assert before + after == total
    assert after - before == total % 2  # the odd one after: bottom/right
    checked()


def test_the_one_formula_holds_for_same_with_2p_replaced_by_the_two_unequal_paddings():
    """"The formula still holds with 2p replaced by the two unequal paddings." (02_padding_stride,
    'same' with a stride, and an even kernel)

    ⌊(n + before + after − d(k − 1) − 1)/s⌋ + 1 = ⌈n/s⌉ for every n ≤ 60, k ≤ 9, s ≤ 6 (d = 1)
    and d ≤ 4 at s = 1. Wrong variants: 2·before or 2·after in place of the sum.
    """
    cases = [(n, k, s, d) for n, k, s, d in itertools.product(range(1, 61), range(1, 10), range(1, 7), range(1, 5))
             if s == 1 or d == 1]
    for n, k, s, d in cases:
        b, a = same_padding(n, k, s, d)
        assert (n + b + a - d * (k - 1) - 1) // s + 1 == ceil_div(n, s)
    assert refuted(lambda n, k, s, d: (n + 2 * same_padding(n, k, s, d)[0] - d * (k - 1) - 1) // s + 1
                   == ceil_div(n, s), cases)
    assert refuted(lambda n, k, s, d: (n + 2 * same_padding(n, k, s, d)[1] - d * (k - 1) - 1) // s + 1
                   == ceil_div(n, s), cases)
    checked(len(cases))


def test_keras_same_total_padding_is_ceil_n_over_s_minus_1_times_s_plus_k_minus_n_when_k_is_at_least_s():
    """"Total padding (⌈n/s⌉ − 1)s + k − n" (02_padding_stride, Exercise 2, answer).

    Holds with conditions: d = 1 and a total that is not negative, e.g. k ≥ s; in general the
    total is max((⌈n/s⌉ − 1)s + d(k − 1) + 1 − n, 0), as the section above the exercise says
    (n = 16, s = 2, k = 1: the expression gives −1, Keras pads 0).
    """
    cases = list(itertools.product(range(1, 80), range(1, 10), range(1, 7)))
    for n, k, s in cases:
        if k >= s:
            assert sum(same_padding(n, k, s)) == (ceil_div(n, s) - 1) * s + k - n
    assert sum(same_padding(16, 1, 2)) == 0 != (ceil_div(16, 2) - 1) * 2 + 1 - 16
    checked(len(cases))


def test_an_even_kernel_cannot_keep_the_size_with_equal_padding_at_stride_1_unless_the_dilation_is_even():
    """"An even kernel cannot keep the size with equal padding on both sides: k = 4 needs k − 1 = 3
    padding rows in total, which Keras splits as 1 + 2." (02_padding_stride, 'same' with a stride,
    and an even kernel; Summary: "An even kernel needs uneven padding (k = 4: 1 + 2)"; errata E2:
    "p = (k − 1)/2 = 1.5 for k = 4: no symmetric padding keeps the size"; teaching notes: "padding
    for even kernels (it cannot be split evenly)").

    Holds with conditions: stride 1 and an odd dilation (d = 1 in particular). The total a
    stride-1 layer needs is d(k − 1), odd only when k is even *and* d is odd: k = 2 with d = 2 keeps
    the size with p = 1 on each side. Checked for every n ≤ 40, k ≤ 10, d ≤ 4 over p ≤ 3k; and
    Keras' split of an even kernel (d = 1) is (k/2 − 1) before, k/2 after.
    """
    count = 0
    for n, k, d in itertools.product(range(1, 41), range(1, 11), range(1, 5)):
        keeps = [p for p in range(3 * k * d + 1) if cnn_conv(n, k, 1, p, d) == n]
        assert bool(keeps) == (d * (k - 1) % 2 == 0)
        if keeps:
            assert keeps == [d * (k - 1) // 2]
        if d == 1 and k % 2 == 0:
            assert same_padding(n, k) == (k // 2 - 1, k // 2)
        count += 1
    assert same_padding(32, 4) == (1, 2)
    assert cnn_conv(10, 2, 1, 1, 2) == 10  # the even kernel that keeps the size: d = 2
    checked(count)


def test_dilation_changes_only_the_span_in_the_formula_and_not_the_number_of_weights():
    """"A dilated kernel reads every d-th cell: a 3×3 kernel with d = 2 spans 5×5 but still has nine
    weights. In the formula only the span d(k − 1) + 1 changes." (02_padding_stride, Dilation)

    A dilated kernel gives the size of an undilated kernel as wide as its span, and the weights of
    the undilated kernel of the same k. Wrong variant: span d·k.
    """
    for n, k, s, p, d in SIZE_GRID:
        assert cnn_conv(n, k, s, p, d) == cnn_conv(n, d * (k - 1) + 1, s, p, 1)
        if book_o(n, k, s, p, d) is not None:
            assert Conv2d(4, k, stride=s, padding=p, dilation=d).weights((3, n, n)) == 4 * 3 * k * k
    assert refuted(lambda n, k, s, p, d: cnn_conv(n, k, s, p, d) == cnn_conv(n, d * k, s, p, 1), SIZE_GRID)
    checked(len(SIZE_GRID))


def test_each_padding_cell_on_both_sides_adds_2_over_s_to_the_fraction_and_the_stride_divides_the_rest():
    """"Each padding cell on both sides adds 2/s to the fraction, and a larger stride divides
    everything." (02_padding_stride, How the output size moves with stride and padding)

    The exact value before rounding, (n + 2p − d(k − 1) − 1)/s + 1, grows by exactly 2/s per
    padding cell, and its part after the +1 is the stride-1 part divided by s. Wrong variant: 1/s.
    """
    count = 0
    for n, k, s, p, d in SIZE_GRID:
        if book_o(n, k, s, p, d) is None:
            continue
        here, more = conv_window(n, k, s, p, d).exact, conv_window(n, k, s, p + 1, d).exact
        assert more - here == Fraction(2, s)
        assert here - 1 == (conv_window(n, k, 1, p, d).exact - 1) / s
        assert s == 1 or more - here != Fraction(1, s)
        count += 1
    checked(count)


def test_rows_are_left_unread_exactly_when_s_does_not_divide_n_plus_2p_minus_d_k_minus_1_minus_1():
    """The FALSE sentence: "When s does not divide n + 2p − d(k − 1), the floor drops the remainder:
    the last window stops before the end of the padded input, and the rows (and columns) after it
    are never read." (02_padding_stride, Rows the windows never read)

    Its own example contradicts it: n = 10, k = 3, s = 2, p = 0 — 8 is divisible by 2, yet row 9
    is never read; and n = 9 (7 not divisible by 2) leaves no row unread. The correct rule, tested
    here by sliding the windows: the floor drops r = (n + 2p − d(k − 1) − 1) mod s cells after the
    last window (cnnlib's Window.unread), so cells are left unread exactly when s does not divide
    n + 2p − d(k − 1) − 1; of those r cells the last p are padding, so max(0, r − p) input rows
    (and columns) are never read. The sentence's condition is refuted on the grid. (With k < s or
    d > 1 the windows or their taps also skip cells *between* them — n = 1, k = 2, d = 2, p = 1
    reads no input at all — which the section does not discuss; its slider shows them.)
    """
    count = 0
    for n, k, s, p, d in SIZE_GRID:
        starts = starts_by_counting(n, k, s, p, d)
        if not starts:
            continue
        span = d * (k - 1) + 1
        tail = n + 2 * p - (starts[-1] + span)  # padded cells after the last window
        r = (n + 2 * p - d * (k - 1) - 1) % s
        assert tail == r == conv_window(n, k, s, p, d).unread
        lost = max(0, r - p)
        read = input_cells_read(n, k, s, p, d, starts)
        assert all(i not in read for i in range(n - lost, n))
        if d == 1 and k >= s:  # no gaps between windows or taps: the lost rows are all that is unread
            assert lost == n or (n - lost - 1) in read
            assert explain_conv(n, k, s, p, d)["unread"] == list(range(n - lost, n))
        count += 1
    book_sentence = (lambda n, k, s, p, d: book_o(n, k, s, p, d) is None
                     or ((n + 2 * p - d * (k - 1)) % s != 0) == (conv_window(n, k, s, p, d).unread > 0))
    assert refuted(book_sentence, SIZE_GRID)
    assert conv_window(10, 3, 2).unread == 1 and (10 - 2) % 2 == 0  # the chapter's own example
    assert conv_window(9, 3, 2).unread == 0 and (9 - 2) % 2 == 1
    checked(count)


def test_an_exact_division_reads_every_row_and_a_floored_one_leaves_the_remainder_unread():
    """"The floor drops a remainder: the rows and columns after the last window are never read."
    (02_padding_stride, Summary); "On 227×227 the division is exact and every row is read."
    (02_padding_stride, Exercise 3); "Both divisions are exact: every row is read." (03_pooling,
    Exercise 2); "Floor mode ignores the rows and columns after the last full window" (03_pooling,
    Summary); "take the floor … and the last … row and column of the image are never read by any
    window" (07_alexnet, Why 227 and not 224).

    The division is exact exactly when no cell after the last window is left, and the remainder
    the floor drops (numerator mod s) is the number of cells left — padding included: the input
    rows lost are max(0, remainder − p), so with padding a floored division can lose only padding
    (n = 6, k = 3, s = 2, p = 1).
    """
    count = 0
    for n, k, s, p, d in SIZE_GRID:
        if book_o(n, k, s, p, d) is None:
            continue
        w = conv_window(n, k, s, p, d)
        assert (w.exact.denominator == 1) == (w.unread == 0)
        assert w.unread == (n + 2 * p - d * (k - 1) - 1) % s
        count += 1
    w = conv_window(6, 3, 2, 1)
    assert w.unread == 1 and max(0, w.unread - 1) == 0
    checked(count)


def test_a_setting_is_impossible_exactly_when_the_kernel_span_exceeds_the_padded_input():
    """"When a setting is impossible (the kernel span exceeds the padded input), the reason from
    cnnlib.ShapeError replaces the number." (02_padding_stride, Try it); "Nothing raises an error,
    so the network runs" (07_alexnet, Why 227 and not 224: a floored division is not an error).

    Wrong variant: impossible when k > n (padding ignored).
    """
    grid = list(itertools.product(range(1, 21), range(1, 16), range(1, 5), range(5), range(1, 4)))
    for n, k, s, p, d in grid:
        impossible = d * (k - 1) + 1 > n + 2 * p
        assert (cnn_conv(n, k, s, p, d) is None) == impossible
        if impossible:
            with pytest.raises(ShapeError, match="larger than the padded input|more than the padded input"):
                conv_output_size(n, k, s, p, d)
    assert refuted(lambda n, k, s, p, d: (cnn_conv(n, k, s, p, d) is None) == (k > n), grid)
    checked(len(grid))


# ================================================================ chapter 3: pooling

POOL_CLASSES_2D = [MaxPool2d, AvgPool2d]


def test_pooling_has_no_parameters_and_keeps_the_number_of_channels():
    """"It has no weights, and it works on each channel separately, so the number of channels does
    not change." (03_pooling, introduction); "A pooling layer learns nothing … C_out = C_in."
    (03_pooling, No parameters, same channels); "neither has parameters, and both keep the number
    of channels" (03_pooling, Summary); "The pooling itself, like every pooling layer, has none."
    (03_pooling, Global average pooling); glossary parameter: "pooling … layers have none".

    Every pooling class cnnlib has (max, average, adaptive, global; 1-, 2- and 3-d).
    """
    count = 0
    for c, n, k in itertools.product(range(1, 9), range(4, 20), range(1, 4)):
        layers = [(MaxPool1d(k), (c, n)), (AvgPool1d(k), (c, n)), (MaxPool2d(k), (c, n, n + 1)),
                  (AvgPool2d(k, stride=1), (c, n, n)), (MaxPool3d(k), (c, n, n, n)),
                  (AvgPool3d(k), (c, n, n, n)), (AdaptiveAvgPool1d(3), (c, n)), (AdaptiveMaxPool1d(2), (c, n)),
                  (AdaptiveAvgPool2d(2), (c, n, n)), (AdaptiveMaxPool2d((1, 3)), (c, n, n)),
                  (GlobalAvgPool1d(), (c, n)), (GlobalMaxPool1d(), (c, n)), (GlobalAvgPool2d(), (c, n, n)),
                  (GlobalMaxPool2d(keepdims=False), (c, n, n))]
        for layer, shape in layers:
            f = layer.facts(shape)
            assert f.params == 0 and f.buffers == 0
            assert f.out_shape[0] == c
            count += 1
    checked(count)


def test_activation_and_dropout_layers_have_no_parameters_except_prelu():
    """"pooling, activation and dropout layers have none" (glossary: parameter).

    Holds with a condition: activations *without learned parameters*. PReLU, an activation
    cnnlib and PyTorch both have, learns its slope: 1 parameter (or one per channel).
    """
    names = ["ReLU", "ReLU6", "LeakyReLU", "ELU", "GELU", "SiLU", "Sigmoid", "Tanh", "Hardswish",
             "Hardsigmoid", "Softmax", "Identity", "Dropout"]
    count = 0
    for name, shape in itertools.product(names, [(8,), (3, 10), (16, 7, 7), (2, 3, 4, 5)]):
        assert getattr(cnnlib, name)().params(shape) == 0
        count += 1
    assert cnnlib.PReLU().params((16, 7, 7)) == 1
    checked(count)


def test_the_pooling_stride_defaults_to_the_window_so_windows_do_not_overlap_unless_dilated():
    """"The stride defaults to the window size (PyTorch's stride=None, Keras' strides=None), so the
    windows do not overlap unless asked to." (03_pooling, The one formula, with s = k by default;
    Summary: "with s = k by default"); playground: "pool and avgpool (k, optional s and p; the
    stride defaults to the window)"; "AlexNet uses overlapping pooling: 3×3 windows with stride 2"
    (03_pooling, The one formula …: windows overlap when s < k).

    Holds with a condition: d = 1. The default stride is k, not the span d(k − 1) + 1, so a dilated
    pool overlaps by default (MaxPool1d(2, dilation=2): windows {0, 2} and {2, 4}; PyTorch does the
    same, tests/oracle/test_rules_oracle.py).
    """
    count = 0
    for n, k in itertools.product(range(1, 40), range(1, 8)):
        if k > n:
            continue
        for cls in (MaxPool1d, AvgPool1d):
            w = cls(k).windows((1, n))[0]
            assert w.s == k
            starts = w.starts()
            assert all(b - a >= w.span for a, b in itertools.pairwise(starts))  # disjoint
        model, msg = playground_build((1, n, n), [{"type": "pool", "k": k}, {"type": "avgpool", "k": 1}])
        assert msg == "" and model.rows()[1].layer.strides == (k, k)
        for s in range(1, 8):  # overlapping ⇔ s < k
            starts = MaxPool1d(k, stride=s).windows((1, n))[0].starts()
            overlap = any(b - a < k for a, b in itertools.pairwise(starts))
            assert overlap == (s < k and len(starts) > 1)
        count += 1
    w = MaxPool1d(2, dilation=2).windows((1, 10))[0]
    taps = [{t + j * w.d for j in range(w.k)} for t in w.starts()]
    assert taps[0] & taps[1] == {2}  # overlap by default once dilated
    checked(count)


def test_pooling_sizes_follow_the_same_formula_as_convolutions():
    """"Pooling sizes follow the same formula as convolutions, o = ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1."
    (03_pooling, The one formula, with s = k by default; Summary: "Output size: the one formula").

    Floor mode, every padding PyTorch allows (p ≤ k/2).
    """
    count = 0
    for n, k, s, p, d in SIZE_GRID:
        if p > k // 2:
            continue
        assert cnn_pool(n, k, s, p, d) == cnn_conv(n, k, s, p, d) == book_o(n, k, s, p, d)
        count += 1
    checked(count)


def test_a_2x2_stride_2_pool_loses_the_last_row_and_column_of_an_odd_sized_map_and_nothing_of_an_even_one():
    """"Odd sizes: floor drops the last row and column … an 11×11 map gives 5×5 … row (and column)
    10 … is never read" (03_pooling, Odd sizes: floor drops the last row and column); "say which rows
    and columns an odd-sized input loses" (03_pooling, introduction).

    For every n ≤ 2000: o = ⌊n/2⌋ and exactly n mod 2 rows are left, the last one.
    """
    for n in range(2, 2001):
        w = pool_window(n, 2)
        starts = starts_by_counting(n, 2, 2, 0, 1)
        read = input_cells_read(n, 2, 2, 0, 1, starts)
        assert w.out == n // 2 and w.unread == n % 2
        assert set(range(n)) - read == ({n - 1} if n % 2 else set())
    checked(1999)


def test_a_pool_without_padding_gives_n_minus_k_over_s_rounded_down_plus_1_and_n_over_k_rounded_down_when_k_equals_s():
    """"The pooling rule the post uses, output = input / 2, is right here only because every map it
    pools has even sides; in general it is ⌊(n − k)/s⌋ + 1 (chapter 3)." (12_worked_examples,
    Post 002); errata page, Borderline table (rendered from cnnlib/book/sources.py): "Right for
    every (even) size in the post and for any non-overlapping pool once rounded down (11 → 5, not
    5.5); windows that overlap (k ≠ s) need ⌊(n − k)/s⌋ + 1."

    Holds with conditions: "in general" means without padding (and d = 1); with padding p it is
    ⌊(n + 2p − k)/s⌋ + 1 (n = 5, k = s = 2, p = 1: 3, not 2). A pool with k = s gives ⌊n/k⌋; k ≠ s
    needs the formula — for k < s too, where the windows leave gaps rather than overlap (n = 5,
    k = 1, s = 2: 3, not ⌊5/2⌋ = 2), so "overlap (k ≠ s)" should read "overlap or leave gaps".
    """
    cases = list(itertools.product(range(1, 80), range(1, 9), range(1, 9)))
    for n, k, s in cases:
        if k > n:
            continue
        assert cnn_pool(n, k, s) == (n - k) // s + 1
        if k == s:
            assert cnn_pool(n, k) == n // k
    assert refuted(lambda n, k, s: k > n or cnn_pool(n, k, s) == n // s, [c for c in cases if c[1] > c[2]])
    assert refuted(lambda n, k, s: k > n or cnn_pool(n, k, s) == n // s, [c for c in cases if c[1] < c[2]])
    assert cnn_pool(5, 2, 2, 1) == 3 != (5 - 2) // 2 + 1
    checked(len(cases))


def test_ceil_mode_rounds_up_but_drops_a_last_window_that_would_start_in_the_right_padding():
    """"PyTorch's pooling layers take ceil_mode=True, which replaces ⌊ ⌋ by ⌈ ⌉: an extra window is
    added that hangs over the edge" and "Rounding up could create a window that starts in the right
    padding and contains no input at all. PyTorch drops such a window: if (o − 1)s ≥ n + p, the
    output is one smaller." (03_pooling, ceil_mode: round up, but never start in the padding;
    Summary; glossary ceil_mode).

    The rule as stated, the windows enumerated (ceil_mode_starts), and cnnlib agree; every kept
    window holds an input cell, an added window hangs over the padded input's end, and a dropped
    one would have held none. PyTorch itself: tests/oracle/test_rules_oracle.py. Wrong variant
    (no drop) is refuted, e.g. by the chapter's n = 5, k = 2, s = 2, p = 1.
    """
    count = drops = 0
    for n, k, s, p, d in SIZE_GRID:
        if p > k // 2 or book_o(n, k, s, p, d) is None:
            continue
        span = d * (k - 1) + 1
        raw = ceil_div(n + 2 * p - span, s) + 1
        rule = raw - 1 if (raw - 1) * s >= n + p else raw
        got = cnn_pool(n, k, s, p, d, ceil_mode=True)
        starts = ceil_mode_starts(n, k, s, p, d)
        assert got == rule == len(starts)
        floor = book_o(n, k, s, p, d)
        assert got in (floor, floor + 1)
        assert all(t < n + p and t + span > p for t in starts)  # every kept window holds input
        if got == floor + 1:
            assert starts[-1] + span > n + 2 * p  # the added window hangs over the edge
        if rule != raw:
            drops += 1
            assert (raw - 1) * s >= n + p  # it would have started in the right padding: no input
        count += 1
    assert drops > 0
    assert cnn_pool(5, 2, 2, 1, ceil_mode=True) == 3 == cnn_pool(5, 2, 2, 1)
    checked(count)


def test_ceil_mode_reads_the_last_row_when_the_window_is_at_least_the_stride():
    """"If the border matters, pad before pooling or use ceil mode." (03_pooling, Odd sizes: floor
    drops the last row and column)

    Holds with a condition: k ≥ s (d = 1). With k ≥ s, ceil mode always reads the last input row,
    and so does floor mode after padding the input by s − 1 on each side. With k < s the
    windows leave gaps and the window that would read the last row can be the one ceil mode drops:
    n = 5, k = 1, s = 3 (and n = 7, k = 2, s = 4) still never read the last row.
    """
    count = 0
    for n, k, s in itertools.product(range(1, 60), range(1, 9), range(1, 9)):
        if k > n:
            continue
        for p in range(k // 2 + 1):
            starts = ceil_mode_starts(n, k, s, p)
            assert len(starts) == cnn_pool(n, k, s, p, ceil_mode=True)
            reads_last = any(t <= n - 1 + p <= t + k - 1 for t in starts)
            if k >= s:
                assert reads_last
            count += 1
        if k >= s:
            padded_starts = starts_by_counting(n + 2 * (s - 1), k, s, 0, 1)
            assert n - 1 + (s - 1) <= padded_starts[-1] + k - 1
    for n, k, s in [(5, 1, 3), (7, 2, 4)]:
        starts = ceil_mode_starts(n, k, s, 0)
        assert not any(t <= n - 1 <= t + k - 1 for t in starts)
    checked(count)


def test_keras_same_pooling_gives_ceil_n_over_s():
    """"(Keras has no ceil_mode; its padding='same' pooling gives ⌈n/s⌉ instead.)" (03_pooling,
    ceil_mode: round up, but never start in the padding). Keras itself: the oracle test."""
    cases = list(itertools.product(range(1, 100), range(1, 9), range(1, 9)))
    for n, k, s in cases:
        assert pool_output_size(n, k, stride=s, padding="same") == ceil_div(n, s)
    checked(len(cases))


def test_pooling_padding_may_be_at_most_half_the_window():
    """"(PyTorch's rules: the padding may be at most half the window; otherwise the reason is
    shown)" (03_pooling, Try it).

    cnnlib raises exactly when p > ⌊k/2⌋ (for any dilation, as PyTorch 2.13 does — the oracle test
    checks PyTorch). Wrong variant: p ≤ k allowed.
    """
    cases = list(itertools.product(range(20, 30), range(1, 10), range(1, 4), range(8), range(1, 3)))
    for n, k, s, p, d in cases:
        assert (cnn_pool(n, k, s, p, d) is None) == (p > k // 2)
    assert pool_output_size(20, 3, padding=1) and cnn_pool(20, 3, None, 2) is None
    checked(len(cases))


def test_global_average_pooling_turns_c_h_w_into_c_numbers_and_has_no_parameters():
    """"Global average pooling uses one window as large as the whole map: each channel becomes a
    single number, its mean." (03_pooling, Global average pooling); "Global average pooling turns
    C × H × W into C numbers" (03_pooling, Summary); Exercise 5: "one mean per channel".

    The mean itself is the oracle test's; here: C numbers (C×1×1 or C), no parameters, and a
    receptive field that is the whole input.
    """
    cases = list(itertools.product(range(1, 40), range(1, 15), range(1, 15)))
    for c, h, w in cases:
        assert GlobalAvgPool2d().output_shape((c, h, w)) == (c, 1, 1)
        assert GlobalAvgPool2d(keepdims=False).output_shape((c, h, w)) == (c,)
        assert AdaptiveAvgPool2d(1).output_shape((c, h, w)) == (c, 1, 1)
        assert GlobalAvgPool2d().params((c, h, w)) == 0
    rf = receptive_field(Sequential((3, 9, 9), [Conv2d(4, 3), GlobalAvgPool2d()]))
    assert rf[-1].size is None and "whole input" in rf[-1].note
    checked(len(cases))


def test_global_average_pooling_removes_most_of_the_following_dense_layers_weights_unless_the_map_is_tiny():
    """"It replaces the flattening before the classifier … and removes most of the dense layer's
    weights." (03_pooling, Global average pooling; Summary: "and shrinks the classifier").

    Holds with a condition so mild the sentence needs no change for real maps. A dense layer after
    global pooling has (C + 1)·out parameters instead of (C·H·W + 1)·out; that removes more than
    half exactly when C·H·W > 2C + 1 — maps of 3 or more positions with 2 or more channels, of 4 or
    more with one (a 1×1 map loses nothing; 1×3×1 loses exactly half).
    """
    cases = list(itertools.product(range(1, 65), range(1, 8), range(1, 8), (1, 10, 1000)))
    for c, h, w, out in cases:
        flat = Dense(out).params(Flatten().output_shape((c, h, w)))
        gap = Dense(out).params(GlobalAvgPool2d(keepdims=False).output_shape((c, h, w)))
        assert (2 * (flat - gap) > flat) == (c * h * w > 2 * c + 1)
    assert refuted(lambda c, h, w, out: (2 * (Dense(out).params((c * h * w,)) - Dense(out).params((c,)))
                                         > Dense(out).params((c * h * w,))) == (h * w >= 3), cases)
    checked(len(cases))


# ============================================================= chapter 4: dense layers


def test_flatten_gives_c_h_w_values_and_has_no_parameters():
    """"`Flatten` lines all of them up: the vector has C·H·W elements. Nothing is learned — Flatten
    has no parameters, it only changes the shape." (04_dense, Flatten: a feature map becomes a
    vector; Summary: "`Flatten` turns the last C×H×W map into C·H·W values and has no parameters").
    The framework orders are the oracle test's."""
    cases = list(itertools.product(range(1, 30), range(1, 20), range(1, 20)))
    for c, h, w in cases:
        f = Flatten().facts((c, h, w))
        assert f.out_shape == (c * h * w,) and f.params == 0
    checked(len(cases))


@given(data=st.data())
def test_a_dense_layer_has_in_plus_1_times_out_parameters_wherever_it_sits(data):
    """"params = in·out + out = (in + 1)·out. The formula is the same wherever the layer sits; only
    in is found differently: after a convolution or pooling layer, in is the flattened size C·H·W
    of the last map; after another dense layer, in is simply the number of neurons of that layer."
    (04_dense, A dense layer: a weight for every pair, a bias for every output; Summary).

    Random chains: convolutions and pools, Flatten, then dense layers.
    """
    c, n = data.draw(st.integers(1, 8)), data.draw(st.integers(8, 40))
    layers = []
    for _ in range(data.draw(st.integers(0, 3))):
        layers.append(Conv2d(data.draw(st.integers(1, 16)), 3, padding=1))
        if data.draw(st.booleans()):
            layers.append(MaxPool2d(2))
    layers.append(Flatten())
    units = [data.draw(st.integers(1, 300)) for _ in range(data.draw(st.integers(1, 4)))]
    layers += [Dense(u) for u in units]
    model = Sequential((c, n, n), layers)
    rows = model.rows()
    dense = [r for r in rows if r.kind == "fc"]
    last_map = next(r for r in rows if r.kind == "flatten").in_shape
    ins = [math.prod(last_map)] + units[:-1]
    assert [r.params for r in dense] == [(i + 1) * u for i, u in zip(ins, units)]
    checked()


def test_changing_the_input_size_or_removing_a_pool_changes_only_fc1_not_the_convolutions():
    """"Remove the second max pool … The convolutions do not change at all; the first dense layer now
    reads … values" (04_dense, What one pooling layer is worth); "The convolutions' parameters do
    not change at all." (08_vgg, Other input sizes); "The input size changes only fc1 (and the
    total)" (08_vgg, Summary).

    Post 004's first model (every n from 12 to 120, with and without the second pool) and VGG
    (every multiple of 32 up to 640) against their standard forms: only fc1's count differs.
    """
    ref = zoo.keras_case1()
    ref_rows = {r.name: r.params for r in ref.rows()}
    count = 0
    for n, second_pool in itertools.product(range(12, 121), (True, False)):
        m = zoo.keras_case1(n, second_pool=second_pool)
        changed = {r.name for r in m.rows() if r.params != ref_rows.get(r.name, 0)}
        assert changed <= {"fc1"}
        count += 1
    for depth, bn in ALL_VGG:
        ref_rows = {r.name: r.params for r in zoo.vgg(depth, batch_norm=bn).rows()}
        for size in range(32, 641, 32):
            m = zoo.vgg(depth, batch_norm=bn, input_size=size)
            changed = {r.name for r in m.rows() if r.params != ref_rows[r.name]}
            assert changed == (set() if size == 224 else {"fc1"})
            count += 1
    checked(count)


CLASSIC = [("alexnet", lambda: zoo.alexnet()), ("alexnet two_tower", lambda: zoo.alexnet("two_tower")),
           ("alexnet torchvision", lambda: zoo.alexnet("torchvision")), ("lenet5", zoo.lenet5),
           ("keras_case1", zoo.keras_case1)] + [
    (f"vgg{d}{'_bn' if bn else ''}", (lambda d=d, bn=bn: zoo.vgg(d, batch_norm=bn))) for d, bn in ALL_VGG]


def test_in_the_classic_networks_the_dense_layers_hold_most_parameters_and_the_convolutions_most_macs():
    """"They are simple to count — and they are where most of the parameters of the classic networks
    live." (04_dense, introduction); "The first dense layer has the most inputs … so it gets the most
    weights." (04_dense, Why the first dense layer dominates; Summary: "usually holds most of the
    parameters"); "The dense layers hold …% of the parameters … but the convolutions do …% of the
    MACs" (07_alexnet, Where the parameters live, and where the compute lives; introduction: "say
    where a network keeps its parameters (dense layers) and where it spends its arithmetic
    (convolutions)"; Summary); "fc1 holds most of the parameters, the convolutions do nearly all of
    the arithmetic." (08_vgg, The shapes at a glance).

    AlexNet (three variants), VGG-11/13/16/19 (± batch norm), LeNet-5 and post 004's first model:
    dense layers > 50 % of parameters, fc1 the largest layer, convolutions > 50 % of MACs (they do
    92–95 % in AlexNet; in VGG ≥ 98 %, "nearly all": 98.4 % for VGG-11, 99.2 % for VGG-16, and fc1
    alone holds more than half of the parameters). The test can fail: ResNet-50, not a "classic"
    network here, refutes it.
    """
    for name, build in CLASSIC:
        m = build()
        params, macs = share_by_kind(m, "params"), share_by_kind(m, "macs")
        rows = [r for r in m.rows() if r.params]
        fc1 = next(r for r in rows if r.kind == "fc")
        assert params["fc"][1] > 0.5, name
        assert fc1.params == max(r.params for r in rows), name
        assert macs["conv"][1] > 0.5, name
        if name.startswith("vgg"):
            assert fc1.params > 0.5 * m.total_params and macs["conv"][1] >= 0.98, name
    assert share_by_kind(zoo.resnet(50), "params")["fc"][1] < 0.5
    checked(len(CLASSIC))


def test_a_2x2_pool_before_flatten_divides_the_first_dense_layers_inputs_by_four_exactly_on_even_maps():
    """"Every pooling layer before `Flatten` divides the first dense layer's size by about four"
    (04_dense, Summary).

    Holds with conditions: a 2×2, stride-2 pool (the chapter's); it divides by exactly 4 when H and
    W are even and by more when one is odd (11×11 → 5×5: 121/25 = 4.84). Checked on maps of every
    C ≤ 4, H, W ≤ 60, and on post 004's model for every input size 14 … 200.
    """
    count = 0
    for c, h, w in itertools.product(range(1, 5), range(2, 61), range(2, 61)):
        before = Flatten().output_shape((c, h, w))[0]
        after = Flatten().output_shape(MaxPool2d(2).output_shape((c, h, w)))[0]
        assert before >= 4 * after
        assert (before == 4 * after) == (h % 2 == 0 and w % 2 == 0)
        count += 1
    for n in range(14, 201):
        with_pool = zoo.keras_case1(n).row("fc1").in_shape[0]
        without = zoo.keras_case1(n, second_pool=False).row("fc1").in_shape[0]
        assert without >= 4 * with_pool
        count += 1
    checked(count)


# ====================================================== chapter 5: 1×1 convolutions


def test_a_1x1_convolution_has_cin_cout_weights_and_keeps_height_and_width_at_stride_1():
    """"A k×k filter on C_in channels has k·k·C_in weights; with k = 1 that leaves C_in weights … the
    layer has C_in·C_out weights (plus C_out biases), and height and width do not change."
    (05_one_by_one, A 1×1 convolution mixes channels, pixel by pixel); "C_in·C_out weights
    (+ C_out biases), same height and width. It can reduce or expand the channel count."
    (05_one_by_one, Summary; errata E5).

    Holds with a condition: stride 1 and no padding (the layer's defaults). The book's own zoo has
    1×1 convolutions of stride 2 (ResNet-50's projection shortcuts), which halve the map.
    """
    cases = list(itertools.product(range(1, 33), range(1, 33), range(1, 25)))
    for c_in, c_out, n in cases:
        layer = Conv2d(c_out, 1)
        assert layer.output_shape((c_in, n, n + 3)) == (c_out, n, n + 3)
        assert layer.weights((c_in, n, n)) == c_in * c_out and layer.biases((c_in, n, n)) == c_out
    strided = [r for r in zoo.resnet(50).rows() if r.kind == "conv" and r.layer.kernel_size == (1, 1)
               and r.out_shape[1:] != r.in_shape[1:]]
    assert strided and all(r.layer.stride == (2, 2) for r in strided)
    checked(len(cases))


def test_a_1x1_convolution_is_a_dense_layer_applied_to_every_pixel_with_the_same_weights():
    """"Followed by a nonlinearity, it is a small fully connected layer applied to every pixel with
    the same weights." (05_one_by_one, The bottleneck: deeper and cheaper); "A 1×1 convolution looks
    at one pixel at a time" (05_one_by_one, introduction).

    Same parameters as Dense(C_out) on C_in values, H·W times its MACs, and a receptive field of
    one pixel. The values are the oracle test's.
    """
    cases = list(itertools.product(range(1, 25), range(1, 25), range(1, 12)))
    for c_in, c_out, n in cases:
        conv, dense = Conv2d(c_out, 1), Dense(c_out)
        assert conv.params((c_in, n, n)) == dense.params((c_in,))
        assert conv.macs((c_in, n, n)) == n * n * dense.macs((c_in,))
    assert receptive_field(Sequential((3, 8, 8), [Conv2d(4, 1)]))[-1].size == 1
    checked(len(cases))


def test_a_bottleneck_saves_the_same_factor_in_macs_as_in_weights_since_every_layer_runs_on_the_same_grid():
    """"… ×… fewer, and the same factor fewer MACs, since every layer runs on the same 56×56 grid."
    and "The middle width decides how much is saved" (05_one_by_one, The bottleneck: deeper and
    cheaper).

    For every C, m, k (odd) and grid size: the MAC ratio equals the weight ratio exactly, and the
    bottleneck's weights grow with m.
    """
    count = 0
    for c, k, size in itertools.product((16, 64, 100, 256), (1, 3, 5), (7, 14, 56)):
        previous = 0
        for m in range(1, c + 1, max(1, c // 16)):
            cost = bottleneck_costs(c, m, size, k)
            plain, bott = cost["plain"], cost["bottleneck"]
            assert Fraction(plain["macs"], bott["macs"]) == Fraction(plain["weights"], bott["weights"])
            assert bott["weights"] == c * m + k * k * m * m + m * c and bott["weights"] > previous
            previous = bott["weights"]
            count += 1
    checked(count)


def test_a_bottleneck_wider_than_its_block_costs_more_than_the_plain_convolution():
    """"Widths where the 'bottleneck' is wider than the block itself cost more than the plain
    convolution" (05_one_by_one, Try it: channel counts); "Three layers instead of one, and fewer
    weights" (05_one_by_one, The bottleneck: deeper and cheaper).

    Holds. The converse does not: a middle width just below C costs more too. A 3×3 bottleneck
    saves only when 9m² + 2Cm < 9C², i.e. m < (√82 − 1)/9 · C ≈ 0.895 C (C = 256, m = 230: 593,860
    weights against 589,824).
    """
    count = 0
    for c in range(1, 130):
        plain = 9 * c * c
        for m in range(1, 2 * c + 1):
            bott = bottleneck_costs(c, m, 7)["bottleneck"]["weights"]
            if m >= c:
                assert bott > plain
            assert (bott < plain) == (9 * m * m + 2 * c * m < 9 * c * c)
            count += 1
    cost = bottleneck_costs(256, 230, 56)
    assert cost["bottleneck"]["weights"] == 593_860 > cost["plain"]["weights"] == 589_824
    checked(count)


@given(c_in=st.integers(1, 512), n=st.integers(5, 40), widths=st.lists(st.integers(1, 256), min_size=6, max_size=6),
       reduce=st.booleans())
def test_inception_branches_keep_the_size_and_a_naive_module_is_wider_than_its_input(c_in, n, widths, reduce):
    """"An Inception module runs a 1×1, a 3×3 and a 5×5 convolution and a 3×3 max pool side by side on
    the same input, all padded to keep the size, and concatenates their outputs along the
    channels." (05_one_by_one, Inception: four branches …); "the naive pool branch passes every
    input channel through — stacked naively, each module would be wider than the last"
    (05_one_by_one, Inception: four branches, and 1×1 reductions in front of the big ones).
    """
    b1, b3r, b3, b5r, b5, proj = widths
    cost = inception_costs((c_in, n, n), b1, b3r, b3, b5r, b5, proj, reduce=reduce)
    assert cost["out_shape"][1:] == (n, n)
    assert all(r["out_shape"][1:] == (n, n) for _, r in cost["branches"])
    assert cost["out_channels"] == b1 + b3 + b5 + (proj if reduce else c_in)
    if not reduce:
        assert cost["out_channels"] > c_in
    checked()


def test_googlenet_has_fewer_parameters_than_alexnets_first_dense_layer():
    """"the whole of GoogLeNet has fewer parameters than AlexNet's first dense layer"
    (05_one_by_one, GoogLeNet next to AlexNet and VGG-16); "GoogLeNet has far fewer parameters than
    AlexNet" (05_one_by_one, introduction). Comparisons in words of two glued numbers. And the
    build it describes: "every convolution followed by batch normalisation instead of a bias"
    (05_one_by_one, GoogLeNet next to AlexNet and VGG-16)."""
    net = zoo.googlenet()
    g = net.total_params
    rows = net.rows()
    convs = [r for r in rows if r.kind == "conv"]
    assert convs and all(r.biases == 0 and rows[rows.index(r) + 1].type == "BatchNorm2d" for r in convs)
    for variant in ("single", "two_tower", "torchvision"):
        alex = zoo.alexnet(variant)
        assert g < alex.row("fc1").params < alex.total_params
    assert g < zoo.vgg(16).total_params
    checked(3)


def test_groups_g_give_k_k_cin_over_g_cout_weights_so_g_2_halves_them_and_a_depthwise_filter_has_k_k():
    """"with groups = C_in, each filter sees one channel only and has k·k weights" and "groups = g
    splits the channels into g independent groups, and the weights are k·k·(C_in/g)·C_out"
    (05_one_by_one, The next step: grouped and depthwise-separable convolutions); glossary C_in,
    C_out: "A convolution has C_out filters, each k × k × C_in/g deep"; glossary g: "g = C_in is a
    depthwise convolution"; "grouped convolutions with groups=2: a filter sees C_in/2 channels, so
    the layer has half the weights" (07_alexnet, Two GPUs: the network as it was trained).

    Every divisor g of C_in and of C_out for C_in, C_out ≤ 48. Biases do not change with g.
    """
    count = 0
    for c_in, c_out, k in itertools.product(range(1, 49), range(1, 49), (1, 3)):
        plain = Conv2d(c_out, k).facts((c_in, 9, 9))
        for g in range(1, min(c_in, c_out) + 1):
            if c_in % g or c_out % g:
                continue
            f = Conv2d(c_out, k, groups=g).facts((c_in, 9, 9))
            assert f.weights == k * k * (c_in // g) * c_out == plain.weights // g
            assert f.biases == plain.biases == c_out
            if g == c_in:
                assert f.weights // c_out == k * k
            count += 1
    checked(count)


def test_alexnets_two_gpu_layers_conv2_conv4_conv5_are_groups_2_and_conv3_sees_all_channels():
    """"AlexNet's two-GPU layers are g = 2" (05_one_by_one, The next step …); "in conv2, conv4 and
    conv5 each half saw only the channels on its own GPU. In PyTorch terms those three layers are
    grouped convolutions with groups=2" (07_alexnet, Two GPUs …); "conv3 … is the layer where the
    GPUs talk to each other, so each of its filters sees all 256 channels" (07_alexnet, Two GPUs …,
    after the per-layer table)."""
    two, one = zoo.alexnet("two_tower"), zoo.alexnet()
    for name in ("conv1", "conv2", "conv3", "conv4", "conv5"):
        grouped = name in ("conv2", "conv4", "conv5")
        assert two.row(name).layer.groups == (2 if grouped else 1)
        assert two.row(name).weights * (2 if grouped else 1) == one.row(name).weights
    assert two.row("conv3").in_shape[0] == 256
    checked(5)


def test_depthwise_separable_needs_k_k_cin_plus_cin_cout_weights_instead_of_k_k_cin_cout():
    """"A depthwise k×k followed by a pointwise 1×1 (MobileNet's depthwise-separable convolution)
    replaces one k×k·C_in·C_out convolution: k·k·C_in·C_out (standard) vs k·k·C_in (depthwise) +
    C_in·C_out (pointwise)." (05_one_by_one, The next step …; Summary); glossary
    depthwise-separable convolution: "k²C_in + C_inC_out weights instead of k²C_inC_out".
    """
    cases = list(itertools.product(range(1, 40), range(1, 40), (1, 3, 5, 7)))
    for c_in, c_out, k in cases:
        cost = separable_costs(c_in, c_out, k, 8)
        assert cost["standard"]["weights"] == k * k * c_in * c_out
        assert cost["separable"]["weights"] == k * k * c_in + c_in * c_out
        assert (cost["separable"]["depthwise"], cost["separable"]["pointwise"]) == (k * k * c_in, c_in * c_out)
        chain = Sequential((c_in, 8, 8), [Conv2d(c_in, k, padding=k // 2, groups=c_in, bias=False),
                                          Conv2d(c_out, 1, bias=False)])
        assert chain.weights == k * k * c_in + c_in * c_out
    checked(len(cases))


def test_the_separable_saving_is_1_over_1_over_cout_plus_1_over_k2_and_approaches_9_for_3x3():
    """"The saving … is 1 / (1/C_out + 1/k²): for 3×3 kernels it approaches ×9 as the channel count
    grows." (05_one_by_one, The next step: grouped and depthwise-separable convolutions).

    Exactly (fractions), for every C_in, C_out ≤ 64 and k ≤ 7 — C_in cancels; the saving is always
    below k², grows with C_out and is within 10⁻⁴ of 9 at C_out = 10⁶ (k = 3).
    """
    cases = list(itertools.product(range(1, 65), range(1, 65), (1, 3, 5, 7)))
    for c_in, c_out, k in cases:
        std, sep = k * k * c_in * c_out, k * k * c_in + c_in * c_out
        saving = Fraction(std, sep)
        assert saving == 1 / (Fraction(1, c_out) + Fraction(1, k * k)) < k * k
        cost = separable_costs(c_in, c_out, k, 5)
        assert Fraction(cost["standard"]["weights"], cost["separable"]["weights"]) == saving
    savings = [1 / (Fraction(1, c) + Fraction(1, 9)) for c in (1, 10, 100, 1000, 10**6)]
    assert savings == sorted(savings) and 9 - savings[-1] < Fraction(1, 10**4)
    checked(len(cases))


def test_resnet50s_bottleneck_is_a_1x1_reduce_a_3x3_and_a_1x1_expand():
    """Glossary bottleneck: "A 1×1 convolution that reduces the channels before an expensive 3×3
    convolution and a 1×1 that expands them again afterwards (ResNet-50)."

    Every block of ResNet-50 in the zoo: conv1 1×1 reduces, conv2 3×3 keeps, conv3 1×1 expands ×4.
    """
    blocks: dict = {}
    for r in zoo.resnet(50).rows():
        if r.kind == "conv" and r.depth and "shortcut" not in r.name:
            blocks.setdefault(r.block, []).append(r)
    assert len(blocks) == 16
    for convs in blocks.values():
        a, b, c = convs
        assert [x.layer.kernel_size for x in convs] == [(1, 1), (3, 3), (1, 1)]
        assert a.out_shape[0] < a.in_shape[0] or a.in_shape[0] == 64  # the first block reads 64 = its width
        assert b.out_shape[0] == a.out_shape[0] and c.out_shape[0] == 4 * b.out_shape[0]
    checked(len(blocks))


# ============================================================== chapter 6: AlexNet


def _all_exact(model) -> bool:
    return all(step.is_exact for step in window_steps(model))


def test_alexnets_exact_input_sizes_come_one_every_4_2_2_2_pixels():
    """"every division is exact only for … — one size every … pixels, because the stride-4
    convolution and three stride-2 pools multiply to a step of 4·2·2·2." (07_alexnet, Try other
    input sizes).

    For every input from the smallest the network accepts to 1000 (single tower and two-GPU
    network): every division is exact exactly when n ≡ 3 (mod 32), and 32 is the product of the
    windows' strides.
    """
    count = 0
    for variant in ("single", "two_tower"):
        exact = []
        for n in range(1, 1001):
            try:
                m = zoo.alexnet(variant, input_size=n)
            except ShapeError:
                continue
            if _all_exact(m):
                exact.append(n)
            count += 1
        step = math.prod(s.s for s in window_steps(zoo.alexnet(variant)))
        assert step == 4 * 2 * 2 * 2 == 32
        assert exact == list(range(exact[0], 1001, step)) and exact[0] % 32 == 3 and 227 in exact
    checked(count)


def test_vgg_works_exactly_on_any_multiple_of_32_with_512_n_over_32_squared_fc1_inputs():
    """"VGG's convolutions never change the size and its five pools divide it by 32, so any multiple
    of 32 works exactly; fc1 takes 512·(n/32)² inputs." (08_vgg, Other input sizes; Summary: "The
    input size changes only fc1 (and the total): 512·(n/32)² inputs").

    Every n from 32 to 800 (VGG-16): exact exactly on multiples of 32, fc1 inputs 512·⌊n/32⌋²
    (512·(n/32)² on the multiples).
    """
    for n in range(32, 801):
        m = zoo.vgg(16, input_size=n)
        assert _all_exact(m) == (n % 32 == 0)
        assert m.row("fc1").in_shape == (512 * (n // 32) ** 2,)
    checked(769)


def test_below_alexnets_smallest_input_a_pooling_window_no_longer_fits():
    """"The smallest input the network accepts is …; below it a pooling window no longer fits."
    (07_alexnet, Try other input sizes). Just below the smallest size, the layer that fails is a
    pool; every size from there up is accepted."""
    sizes = []
    for n in range(1, 400):
        try:
            zoo.alexnet(input_size=n)
            sizes.append(n)
        except ShapeError as e:
            last_error = (n, str(e))
    smallest = sizes[0]
    assert sizes == list(range(smallest, 400))
    assert last_error[0] == smallest - 1 and last_error[1].startswith("pool")
    checked(399)


def test_torchvisions_alexnet_has_the_same_fc1_inputs_and_total_at_any_accepted_input_size():
    """"an adaptive average pool fixes the map at 6×6 before the classifier, whatever the input size"
    (07_alexnet, What torchvision does instead); "fc1 always receives … inputs" (same
    section); "torchvision pads conv1 by 2 and pools adaptively to 6×6: … at any size." (07_alexnet,
    Summary).

    Holds for every size the network accepts (≥ 63; a smaller input fails at pool3 before the
    adaptive pool), checked up to 700.
    """
    totals, count = set(), 0
    for n in range(63, 701):
        m = zoo.alexnet("torchvision", input_size=n)
        assert m.row("avgpool").out_shape == (256, 6, 6) and m.row("fc1").in_shape == (9216,)
        totals.add(m.total_params)
        count += 1
    assert totals == {zoo.alexnet("torchvision").total_params}
    with pytest.raises(ShapeError):
        zoo.alexnet("torchvision", input_size=62)
    checked(count)


@given(nd=st.sampled_from([1, 2]), c_in=st.integers(1, 32), c_out=st.integers(1, 32), g=st.sampled_from([1, 2, 4]),
       k=st.integers(1, 5), s=st.integers(1, 3), p=st.integers(0, 2), d=st.integers(1, 2), n=st.integers(9, 40),
       features=st.integers(1, 5000), units=st.integers(1, 5000))
def test_a_convolution_does_output_elements_times_cin_over_g_k2_macs_and_a_dense_layer_uses_each_weight_once(
        nd, c_in, c_out, g, k, s, p, d, n, features, units):
    """"A parameter is stored once; a multiply–accumulate (MAC) is done once per output position. A
    convolution reuses its few weights at every position of a large map, a dense layer uses each of
    its many weights exactly once." and "(MACs for one image, bias additions not counted)"
    (07_alexnet, Where the parameters live, and where the compute lives); glossary MAC: "A
    convolution does C_out H_out W_out · (C_in/g) k_h k_w MACs per input; this book does not count
    the bias additions."; "each output value needs 5·5·96 MACs" (07_alexnet, Exercise 3).

    PyTorch's own count (FlopCounterMode) is the oracle test's.
    """
    c_in, c_out = c_in * g, c_out * g
    shape = (c_in, *(n,) * nd)
    cls = Conv1d if nd == 1 else Conv2d
    with_bias = cls(c_out, k, stride=s, padding=p, dilation=d, groups=g).facts(shape)
    no_bias = cls(c_out, k, stride=s, padding=p, dilation=d, groups=g, bias=False).facts(shape)
    positions = math.prod(with_bias.out_shape[1:])
    per_output = (c_in // g) * k**nd
    assert with_bias.macs == no_bias.macs == c_out * positions * per_output == with_bias.weights * positions
    dense = Dense(units).facts((features,))
    assert dense.macs == dense.weights == features * units
    checked()


def test_conv2_is_alexnets_most_expensive_layer():
    """"which is …% of the total — the most expensive layer of the network." (07_alexnet,
    Exercise 3, on conv2). A comparison in words, for the single tower at 227."""
    rows = [r for r in zoo.alexnet().rows() if r.macs]
    assert max(rows, key=lambda r: r.macs).name == "conv2"
    checked(len(rows))


def test_the_shapes_diagram_has_one_box_per_layer_output_and_none_for_relu_or_dropout():
    """"One box per layer output (ReLU and dropout work in place and get none)" (07_alexnet, The
    shapes at a glance); "One box per layer output (ReLU and dropout, in place, get none)"
    (08_vgg, The shapes at a glance)."""
    models = [zoo.alexnet(), zoo.alexnet(lrn=True), zoo.lenet5(), zoo.keras_case1()] + [
        zoo.vgg(d, batch_norm=bn) for d, bn in ALL_VGG]
    for m in models:
        boxes = [b.name for b in diagram_rows(m)]
        expected = [r.name for r in m.rows() if r.type not in ("ReLU", "Dropout", "Softmax")]
        assert boxes == expected, m.name
    checked(len(models))


def test_no_alexnet_layer_between_the_second_and_third_pool_changes_height_and_width():
    """"no layer between the second and the third pool changes the map's height and width, so conv 5
    outputs 13×13×256" (errata, Two mistakes behind most rows); "only the third max pool shrinks
    the map" (07_alexnet, The network at 227×227)."""
    count = 0
    for variant in ("single", "two_tower", "torchvision"):
        rows = zoo.alexnet(variant).rows()
        names = [r.name for r in rows]
        for r in rows[names.index("pool2") + 1:names.index("pool3")]:
            assert r.out_shape[1:] == r.in_shape[1:]
            count += 1
    checked(count)


def test_a_models_total_is_the_sum_of_its_params_column():
    """"Summing the params column gives … parameters." (07_alexnet, The network at 227×227); "Its
    total is … parameters, the sum of the four layers that have any" (playground, A network is a
    list of layers); "Weights alone add up to …; the … biases make the published …" (08_vgg, Block
    by block). Every network of the zoo: the total is the column's sum and weights + biases."""
    for name, (builder, kwargs) in zoo.MODELS.items():
        m = builder(**kwargs)
        assert m.total_params == sum(r.params for r in m.rows()) == m.weights + m.biases, name
    checked(len(zoo.MODELS))


# ================================================================== chapter 7: VGG


def test_the_four_vgg_configurations_differ_only_in_how_many_3x3_convolutions_each_block_holds():
    """"The four configurations differ only in how many 3×3 convolutions each of the five blocks
    holds; the classifier (4096, 4096, 1000) is the same." (08_vgg, The family in one table); "it
    puts a ReLU after every layer" (08_vgg, Why stacks of 3×3); "thirteen convolutions in five
    blocks, the map halving at each pool while the channels double up to 512" (08_vgg, The shapes
    at a glance); "the convolutions do have biases" (08_vgg, Block by block, on erratum E10)."""
    counts = set()
    for depth, bn in ALL_VGG:
        rows = zoo.vgg(depth, batch_norm=bn).rows()
        convs = [r for r in rows if r.kind == "conv"]
        assert all(r.layer.kernel_size == (3, 3) and r.layer.stride == (1, 1) for r in convs)
        per_block = Counter(int(r.name[4]) for r in convs)  # conv<block>_<i>
        assert sorted(per_block) == [1, 2, 3, 4, 5]
        # the whole feature extractor follows from the five counts: block b has 64·2^(b−1) ≤ 512
        # channels, then a 2×2 pool
        expected = []
        for b in range(1, 6):
            expected += [("conv", min(64 * 2 ** (b - 1), 512))] * per_block[b] + [("pool", None)]
        got = [(r.kind, r.out_shape[0] if r.kind == "conv" else None) for r in rows if r.kind in ("conv", "pool")]
        assert got == expected
        after = [rows[rows.index(r) + (2 if bn else 1)] for r in convs]
        assert all(a.type == "ReLU" for a in after)
        assert [r.layer.out_features for r in rows if r.kind == "fc"] == [4096, 4096, 1000]
        assert all(r.biases == r.out_shape[0] for r in convs)  # "the convolutions do have biases"
        if depth == 16:
            assert len(convs) == 13
        counts.add(tuple(per_block[b] for b in range(1, 6)))
    assert len(counts) == 4  # four configurations, four different block counts
    checked(len(ALL_VGG))


def test_batch_norm_adds_2c_parameters_per_convolution_and_keeps_running_statistics_as_buffers():
    """"Batch normalisation adds a scale and a shift per channel after every convolution." (08_vgg,
    The family in one table); "for VGG-16 that is … more, twice the … output channels of its
    convolutions. (BatchNorm's running mean and variance are buffers, not parameters; Keras lists
    them as non-trainable parameters.)" (08_vgg, The family in one table); glossary parameter:
    "batch normalisation has 2C (γ and β)"; glossary buffer.

    cnnlib's buffers also hold PyTorch's num_batches_tracked (2C + 1). Keras and PyTorch
    themselves: the oracle test.
    """
    for depth in (11, 13, 16, 19):
        plain, bn = zoo.vgg(depth), zoo.vgg(depth, batch_norm=True)
        channels = sum(r.out_shape[0] for r in plain.rows() if r.kind == "conv")
        assert bn.total_params - plain.total_params == 2 * channels
        assert bn.buffers == 2 * channels + sum(1 for r in bn.rows() if r.kind == "bn")
    for c, n in itertools.product(range(1, 200), (1, 7)):
        f = BatchNorm2d().facts((c, n, n))
        assert (f.weights, f.biases, f.buffers) == (c, c, 2 * c + 1)
    checked(4 + 199 * 2)


def test_an_n_by_m_kernel_over_k_input_maps_and_l_output_maps_has_n_m_k_plus_1_times_l_parameters():
    """"The general rule it ends with, (n·m·k + 1)·L for an n×m kernel over k input and L output maps,
    is the same formula." (08_vgg, Block by block). Non-square kernels."""
    cases = list(itertools.product(range(1, 8), range(1, 8), range(1, 20), range(1, 20)))
    for n, m, k, big_l in cases:
        assert Conv2d(big_l, (n, m)).params((k, 10, 10)) == (n * m * k + 1) * big_l
    checked(len(cases))


@given(layers=st.lists(st.tuples(st.integers(1, 7), st.integers(1, 3), st.integers(1, 3), st.booleans()),
                       min_size=1, max_size=6))
def test_the_receptive_field_grows_by_k_minus_1_per_stride_1_layer_and_by_k_minus_1_times_the_jump_in_general(layers):
    """"Two 3×3 convolutions in a row let each output see a 5×5 patch of the input, three see 7×7 —
    the receptive field grows by k − 1 = 2 per layer (chapter 2)." (08_vgg, Why stacks of 3×3);
    glossary receptive field: "Two stacked 3×3 convolutions see 5×5; three see 7×7."

    Holds with conditions: stride 1 before the layer (and d = 1). In general a layer adds
    d(k − 1)·jump, the jump being the product of the strides before it: a 3×3 convolution of stride
    2 followed by a 3×3 sees 7×7, not 5×5. (Chapter 2, cited in the sentence, never mentions the
    receptive field.) Random chains of convolutions and max pools against that sum; the wrong variant
    (k − 1 per layer whatever the strides) is refuted in the next test.
    """
    chain, expected, jump, plain = [], 1, 1, 1
    for k, s, d, is_pool in layers:
        chain.append(MaxPool2d(k, stride=s, dilation=d) if is_pool else Conv2d(2, k, stride=s, dilation=d))
        expected += d * (k - 1) * jump
        plain += k - 1
        jump *= s
    rf = receptive_field(Sequential((1, expected + 3, expected + 3), chain))
    assert rf[-1].size == expected and rf[-1].jump == jump
    if all(s == 1 and d == 1 for _, s, d, _ in layers[:-1]) and layers[-1][2] == 1:
        assert expected == plain
    checked()


def test_stacked_3x3_convolutions_see_5x5_and_7x7_only_at_stride_1():
    """The fixed cases of the sentence above, and the counterexample: with stride 2 in front, two
    3×3 convolutions see 7×7 (the wrong reading, "two 3×3 always see 5×5", is refuted)."""
    for count in range(1, 9):
        net = Sequential((1, 64, 64), [Conv2d(4, 3) for _ in range(count)])
        assert receptive_field(net)[-1].size == 2 * count + 1
    net = Sequential((1, 64, 64), [Conv2d(4, 3, stride=2), Conv2d(4, 3)])
    assert receptive_field(net)[-1].size == 7
    checked(9)


def test_a_stack_of_l_3x3_convolutions_has_9_l_c2_weights_against_2l_plus_1_squared_c2_for_one_kernel_of_the_same_field():
    """"With C channels in and out, a stack of three costs 3·9·C² weights where one 7×7 layer costs
    49·C²" (08_vgg, Why stacks of 3×3); "Stacked 3×3 layers see 5×5 and 7×7 with 18·C² and 27·C²
    weights instead of 25·C² and 49·C²." (08_vgg, Summary); Exercise 3.

    For L = 1 … 6 layers and C ≤ 64: same receptive field, 9·L·C² against (2L + 1)²·C², fewer from
    L = 2 on.
    """
    cases = list(itertools.product(range(1, 7), range(1, 65)))
    for depth, c in cases:
        stack = Sequential((c, 40, 40), [Conv2d(c, 3, padding=1, bias=False) for _ in range(depth)])
        one = Sequential((c, 40, 40), [Conv2d(c, 2 * depth + 1, padding=depth, bias=False)])
        assert receptive_field(stack)[-1].size == receptive_field(one)[-1].size == 2 * depth + 1
        assert stack.weights == 9 * depth * c * c and one.weights == (2 * depth + 1) ** 2 * c * c
        assert (stack.weights < one.weights) == (depth >= 2)
    checked(len(cases))


MEMORY_MODELS = [zoo.alexnet(), zoo.alexnet(lrn=True), zoo.lenet5(), zoo.keras_case1()] + [
    zoo.vgg(d, batch_norm=bn) for d, bn in ALL_VGG]


def test_activation_memory_is_the_input_plus_every_conv_pool_dense_and_normalisation_output():
    """"The CS231n notes count VGG-16's activations as the input plus the output of every
    convolution, pool and dense layer (ReLU works in place, flattening is a view)." (08_vgg,
    Activation memory of one image); glossary activation memory: "the input plus the output of
    every convolution, pooling and dense layer (activations and dropout act in place). Counted in
    elements, then bytes (4 per float32 element)."

    Chapter 7's sentence (VGG-16) holds. The glossary's definition holds with a condition: networks
    without normalisation layers. cnnlib's `memory()`, which the chapters print, also counts the
    output of BatchNorm and LRN (they make new tensors): for VGG-16-BN the glossary's sum is short
    by the batch-norm outputs.
    """
    for m in MEMORY_MODELS:
        rows = m.rows()
        glossary = rows[0].activations + sum(math.prod(r.out_shape) for r in rows[1:]
                                             if r.kind in ("conv", "pool", "fc"))
        norms = sum(math.prod(r.out_shape) for r in rows if r.kind in ("bn", "norm"))
        assert m.activation_elements == glossary + norms, m.name
        assert (m.activation_elements == glossary) == (norms == 0)
        assert m.memory().activation_bytes == 4 * m.activation_elements
        assert all(r.activations == 0 for r in rows if r.type in ("ReLU", "Dropout", "Flatten"))
    checked(len(MEMORY_MODELS))


def test_in_vgg_activation_memory_is_spent_early_and_the_parameters_sit_at_the_end():
    """"memory is spent early, where the maps are large, while the parameters sit at the end."
    (08_vgg, Activation memory of one image).

    For every VGG: the activation elements of the five blocks fall from block to block, their
    parameters rise, and the classifier holds more parameters than all blocks together.
    """
    for depth, bn in ALL_VGG:
        acts, params = Counter(), Counter()
        for r in zoo.vgg(depth, batch_norm=bn).rows()[1:]:
            match = re.fullmatch(r"(?:conv|bn|relu|pool)(\d)(?:_\d+)?", r.name)
            block = int(match.group(1)) if match else 6  # 6: flatten and the classifier
            acts[block] += r.activations
            params[block] += r.params
        assert [acts[b] for b in range(1, 6)] == sorted((acts[b] for b in range(1, 6)), reverse=True)
        assert [params[b] for b in range(1, 7)] == sorted(params[b] for b in range(1, 7))
        assert params[6] > sum(params[b] for b in range(1, 6))
    checked(len(ALL_VGG))


def test_training_memory_is_twice_the_activations_plus_twice_the_parameters_before_optimizer_state():
    """"Training needs the activations again for the backward pass, and a gradient of each: the
    CS231n rule of thumb doubles the forward figure … cnnlib's memory() adds the parameters … and
    their gradients too … before any optimizer state." (08_vgg, Activation memory of one image;
    Summary: "≈ double that for training, plus the parameters and their gradients").

    (Batch-norm buffers are added once, as stored state.)
    """
    count = 0
    for m in MEMORY_MODELS:
        for b, batch in itertools.product((2, 4), (1, 8)):
            mem = m.memory(bytes_per_element=b, batch=batch)
            assert mem.activation_bytes == b * batch * m.activation_elements
            assert mem.training_bytes == (2 * mem.activation_bytes + 2 * b * m.total_params + b * m.buffers)
            count += 1
    assert Memory(1000, 0, 500).training_bytes == 2 * 4 * 500 + 2 * 4 * 1000
    checked(count)


def test_mb_is_10_to_the_6_bytes_and_mib_is_2_to_the_20():
    """"MB means 10⁶ bytes and MiB 2²⁰ bytes" (08_vgg, introduction; errata, How to read the table);
    glossary MB, MiB: "10⁶ bytes and 2²⁰ bytes"; playground: "MB (a million bytes) and MiB (a power of
    two bytes)". What torchinfo and Keras print is the oracle test's."""
    values = [1, 999_999, 10**6, 2**20, 60_950_432, 553_440_000, 10**12 + 12345]
    for x in values + list(range(0, 10**8, 977_777)):
        text = megabytes(x)
        mb, mib = text.split(" MB (")
        assert mb == f"{x / 1e6:,.2f}" and mib == f"{x / 2**20:,.2f} MiB)"
    checked(len(values) + len(range(0, 10**8, 977_777)))


def test_doubling_the_input_side_quadruples_every_map_but_not_the_dense_outputs():
    """"Every map has twice the height and twice the width, so (apart from the dense outputs) four
    times the elements" (08_vgg, Exercise 4). VGG-11 … 19 at every multiple of 32 up to 320 against
    twice that side."""
    count = 0
    for (depth, bn), n in itertools.product(ALL_VGG, range(32, 321, 32)):
        small_rows = zoo.vgg(depth, batch_norm=bn, input_size=n).rows()
        big_rows = zoo.vgg(depth, batch_norm=bn, input_size=2 * n).rows()
        for a, b in zip(small_rows, big_rows):
            if a.activations and len(a.out_shape) == 3:
                assert b.activations == 4 * a.activations
            elif a.kind == "fc":
                assert b.activations == a.activations
        count += 1
    checked(count)


# =================================================== chapter 8: the worked examples


def test_the_bias_free_face_net_total_is_its_convolution_weights_plus_flat_times_n_and_biases_add_one_per_filter_and_neuron():
    """"The four convolutions sum to … weights; the dense layer has … inputs, so each of its n neurons
    adds … weights: the total is … + …·n" (12_worked_examples, Post 002); "With biases, each
    convolution gains one per filter and the dense layer one per neuron." (12_worked_examples,
    n on a slider, and what biases would add).

    Every n ≤ 2000: the total is affine in n with slope = the flattened size (+ 1 with biases).
    """
    base = zoo.face_net(1)
    conv = sum(r.params for r in base.rows() if r.kind == "conv")
    flat = base.row("fc1").in_shape[0]
    filters = sum(r.out_shape[0] for r in base.rows() if r.kind == "conv")
    for n in range(1, 2001):
        assert zoo.face_net(n).total_params == conv + flat * n
        assert zoo.face_net(n, bias=True).total_params - zoo.face_net(n).total_params == filters + n
    checked(2000)


def test_conv1d_counts_like_conv2d_with_one_axis_and_its_length_is_l_minus_k_over_s_rounded_down_plus_1():
    """The UNDERSPECIFIED summary line: "Conv1D counts like Conv2D with one spatial axis:
    (k·C_in + 1)·C_out parameters, L_out = (L − k)/s + 1." (12_worked_examples, Summary); also
    "the numbers it plugs in are the right ones, (n − k)/s + 1" (12_worked_examples, Post 002,
    erratum E6).

    The parameter count holds. The length needs a floor and holds only without padding and
    dilation: L_out = ⌊(L − k)/s⌋ + 1 (p = 0, d = 1); (L − k)/s + 1 is not even a whole number when
    s does not divide L − k (L = 100, k = 3, s = 2: 49.5; PyTorch and Keras give 49). Checked: the
    floored rule for every L ≤ 200, k ≤ 9, s ≤ 5; the unfloored one is refuted.
    """
    cases = list(itertools.product(range(1, 201), range(1, 10), range(1, 6)))
    for length, k, s in cases:
        if k > length:
            continue
        layer = Conv1d(8, k, stride=s)
        assert layer.output_shape((5, length)) == (8, (length - k) // s + 1)
        assert layer.params((5, length)) == (k * 5 + 1) * 8
        assert Conv1d(8, k).params((5, length)) == Conv2d(8, (1, k)).params((5, 1, length))
    assert refuted(lambda length, k, s: k > length or Fraction(length - k, s) + 1
                   == Conv1d(1, k, stride=s).output_shape((1, length))[1], cases)
    assert Conv1d(1, 3, stride=2).output_shape((1, 100)) == (1, 49)
    checked(len(cases))


# ======================================================================= playground


@given(c=st.integers(1, 4), n=st.integers(1, 30), k=st.integers(1, 40), s=st.integers(1, 4), p=st.integers(0, 3),
       before=st.integers(0, 3), kind=st.sampled_from(["conv", "pool"]))
def test_a_layer_that_cannot_run_stops_the_build_with_a_message_naming_it_and_the_formula_that_fails(
        c, n, k, s, p, before, kind):
    """"A layer that cannot run stops the build with a message that names it and the formula that
    fails, instead of a wrong number." (playground, Summary); "the message names the layer by its
    position and its name in the table, with the formula that fails" (playground, When a layer
    cannot run).

    A network of `before` harmless layers, then one convolution or pool: when the formula gives
    less than 1 the build returns no model and a message "layer i (name): … (n + 2·p − 1·(k−1) −
    1)/s + 1 = …"; otherwise a model.
    """
    spec = [{"type": "relu"}] * before
    if kind == "conv":
        spec = spec + [{"type": "conv", "out": 2, "k": k, "s": s, "p": p}]
    else:
        p = min(p, k // 2)
        spec = spec + [{"type": "pool", "k": k, "s": s, "p": p}]
    model, msg = playground_build((c, n, n), spec)
    if book_o(n, k, s, p) is None:
        assert model is None
        name = "conv1" if kind == "conv" else "pool1"
        assert msg.startswith(f"layer {before + 1} ({name}): ")
        assert f"({n} + 2·{p} − 1·({k}−1) − 1)/{s} + 1 = " in msg and "< 1" in msg
    else:
        assert msg == "" and model.output_shape[1:] == (book_o(n, k, s, p),) * 2
    checked()

