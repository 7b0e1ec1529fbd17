package org.spadeanime.model;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.spadeanime.DjlRuntime;

/** A fresh manager (closed after each test) and a parameter store for model tests. */
abstract class EngineTestBase {

    protected NDManager manager;
    protected ParameterStore ps;

    @BeforeEach
    void openManager() {
        DjlRuntime.init();
        manager = NDManager.newBaseManager();
        ps = new ParameterStore(manager, false);
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }
}
