package org.beadstream.segmentation.assign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SparseAssignmentTest {

    @Test
    void shouldBeatGreedyWhereTheBestPairBlocksTwoGoodOnes() {
        // greedy would take (0,0)=0.9 and leave row 1 unmatched; optimal takes (0,1) and (1,0): 0.8 + 0.8
        final SparseAssignment.Result r = SparseAssignment.solve(2, 2, new int[] {0, 0, 1}, new int[] {0, 1, 0},
                new double[] {0.9, 0.8, 0.8});
        assertArrayEquals(new int[] {1, 0}, r.rowToCol());
        assertArrayEquals(new int[] {1, 0}, r.colToRow());
        assertEquals(0, r.greedyComponents());
    }

    @Test
    void shouldSolveSeparateComponentsAndLeaveUnconnectedNodesUnassigned() {
        final SparseAssignment.Result r = SparseAssignment.solve(4, 3, new int[] {0, 2, 2}, new int[] {2, 0, 1},
                new double[] {0.5, 0.7, 0.9});
        assertArrayEquals(new int[] {2, -1, 1, -1}, r.rowToCol());
        assertArrayEquals(new int[] {-1, 2, 0}, r.colToRow());
    }

    @Test
    void shouldRejectEdgesOutsideTheMatrixOrWithoutPositiveWeight() {
        assertThrows(IllegalArgumentException.class,
                () -> SparseAssignment.solve(1, 1, new int[] {1}, new int[] {0}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> SparseAssignment.solve(1, 1, new int[] {0}, new int[] {0}, new double[] {0}));
        assertThrows(IllegalArgumentException.class,
                () -> SparseAssignment.solve(1, 1, new int[] {0}, new int[] {}, new double[] {1}));
    }
}
